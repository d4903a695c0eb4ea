"""What a member (and the insurer, the city) is shown about one enrolment (PILOT-5..8).

The figures and the Korean explanation are the rules engine's: the stored `Outcome` once a run
evaluated the enrolment; before that, the same engine on the accepted readings, optionally
with a what-if final reading (the member's expected incentive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mileage.core.parameters import current_parameters
from mileage.rules import evaluate_with_trace
from mileage.rules.errors import InvalidCase, MissingParameter

from .models import Enrolment, ReadingEvent, Status
from .services.evaluate import accepted_readings, pilot_case


@dataclass
class View:
    """`kind`: evaluated (a run's outcome), preview (final accepted, not yet run), estimate
    (the member's what-if), waiting (no final yet), refused (the engine refused the case),
    void (PILOT-10: voided, `problem` holds the reason)."""

    kind: str
    status: str = ""
    six_month_km: Any = None
    reduction_pct: Any = None
    mileage: int = 0
    payment_on: Any = None
    payment_by: Any = None
    trace: list[str] = field(default_factory=list)
    problem: str = ""


def _from_result(kind: str, result: dict, trace: list[dict]) -> View:
    cycle = result["cycles"][0] if result.get("cycles") else None
    if cycle is None:
        return View("waiting", trace=[f"{t['ko']} ({t['clause']})" for t in trace])
    return View(
        kind,
        status=cycle["status"],
        six_month_km=cycle.get("six_month_km"),
        reduction_pct=cycle.get("reduction_pct"),
        mileage=int(cycle["mileage"]),
        payment_on=cycle.get("payment_on"),
        payment_by=cycle.get("payment_by"),
        trace=[f"{t['ko']} ({t['clause']})" for t in trace],
    )


def _run(enrolment: Enrolment, kind: str, extra: list[dict] | None = None) -> View:
    try:
        result, trace = evaluate_with_trace(pilot_case(enrolment, extra), current_parameters())
    except (InvalidCase, MissingParameter) as exc:
        return View("refused", problem=str(exc))
    lines = [{"clause": t.clause, "ko": t.ko} for t in trace]
    return _from_result(kind, result, lines)


def view_of(enrolment: Enrolment) -> View:
    if enrolment.status == Status.VOID:  # PILOT-10: nothing is paid, whatever a run found
        return View("void", status="void", problem=enrolment.void_reason)
    outcome = getattr(enrolment, "outcome", None)
    if outcome is not None:
        return _from_result("evaluated", outcome.result, outcome.result.get("trace", []))
    accepted = accepted_readings(enrolment)
    if any(r.event == ReadingEvent.FINAL for r in accepted):
        return _run(enrolment, "preview")
    return View("waiting")


def estimate(enrolment: Enrolment, km: int, on: dt.date) -> View:
    """The expected incentive if the final reading were `km` on `on` (nothing is stored)."""
    accepted = accepted_readings(enrolment)
    if not accepted or any(r.event == ReadingEvent.FINAL for r in accepted):
        return View(
            "refused", problem="최초 주행거리가 확인된 뒤, 최종 제출 전에만 예상할 수 있습니다."
        )
    final = {"event": "final", "km": km, "taken": on.isoformat(), "uploaded": on.isoformat()}
    return _run(enrolment, "estimate", [final])
