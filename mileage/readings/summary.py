"""What the citizen dashboard shows for one vehicle: current cycle and window (ECO-5), km driven
so far (annualised, C-3), estimated CO₂ emitted and avoided, and the "what would I get?"
calculator (the rules engine with the real history plus a typed-in odometer value)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from mileage import rules
from mileage.core.input import MAX_KM
from mileage.vehicles.models import Vehicle

from . import policy
from .models import Cycle
from .queries import History, approved_histories


@dataclass
class VehicleSummary:
    history: History | None
    cycle: Cycle | None
    driven_km: int | None = None  # since the current cycle's start, all legs (ECO-8, E-7)
    driven_days: int | None = None
    annual_km: float | None = None  # C-3, rounded for display (C-4)
    co2_emitted_kg: float | None = None
    co2_avoided_kg: float | None = None
    evaluated: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


def _legs_km(readings: list[Any]) -> int:
    """E-7: km of each leg added; a change-out → change-in gap adds nothing."""
    total = 0
    for before, after in itertools.pairwise(readings):
        if before.event == "change-out" and after.event == "change-in":
            continue
        total += after.km - before.km
    return total


def vehicle_summary(vehicle: Vehicle, today: dt.date) -> VehicleSummary:
    history = next(approved_histories([vehicle.pk]), None)
    cycle = (
        Cycle.objects.filter(vehicle_id=history.vehicle_id).order_by("-number").first()
        if history
        else None
    )
    summary = VehicleSummary(history=history, cycle=cycle)
    if history is None or cycle is None:
        return summary
    since = [r for r in history.readings if r.id >= cycle.start_reading_id]
    if len(since) >= 2:
        summary.driven_km = _legs_km(since)
        summary.driven_days = (since[-1].effective_on - since[0].effective_on).days
        if summary.driven_days > 0:
            summary.annual_km = rules.display(
                rules.annualise(summary.driven_km, summary.driven_days)
            )
        factor = Fraction(policy.co2_g_per_km(vehicle.fuel, today))
        summary.co2_emitted_kg = rules.display(summary.driven_km * factor / 1000)
    try:
        summary.evaluated = rules.evaluate(history.case())["cycles"]
    except rules.RulesError as exc:
        summary.error = exc.line()
        return summary
    factor = Fraction(policy.co2_g_per_km(vehicle.fuel, today))
    avoided = sum(
        Fraction(str(c["reduction_km"]))
        for c in summary.evaluated
        if (c.get("reduction_km") or 0) > 0
    )
    summary.co2_avoided_kg = rules.display(avoided * factor / 1000)
    return summary


@dataclass
class Estimate:
    on: dt.date
    cycle: dict[str, Any] | None
    trace: list[Any]
    error: str = ""


def what_would_i_get(vehicle: Vehicle, km: int, today: dt.date) -> Estimate:
    """Evaluate the real history plus an annual reading of `km` uploaded today, or on the day the
    window opens if that is later (ECO-5 refuses earlier uploads)."""
    if not 0 <= km <= MAX_KM:  # issue #13, finding 5: a 309-digit km was an OverflowError
        return Estimate(today, None, [], f"누적주행거리는 0 ~ {MAX_KM:,} km로 입력해 주세요.")
    history = next(approved_histories([vehicle.pk]), None)
    cycle = (
        Cycle.objects.filter(vehicle_id=history.vehicle_id, end_reading__isnull=True).first()
        if history
        else None
    )
    if history is None or cycle is None:
        return Estimate(today, None, [], "최초 등록이 승인된 뒤에 계산할 수 있습니다.")
    on = max(today, cycle.window_opens_on)
    extra = {"event": "annual", "km": km, "taken": on.isoformat(), "uploaded": on.isoformat()}
    try:
        result, trace = rules.evaluate_with_trace(history.case([extra]))
    except rules.RulesError as exc:
        return Estimate(on, None, [], exc.line())
    cycles = result["cycles"]
    return Estimate(on, cycles[-1] if cycles else None, trace)
