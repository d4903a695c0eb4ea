"""WALK-1..WALK-3: member-days of steps → distance and mileage (program `walk`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from mileage.rules.arith import display, to_fraction
from mileage.rules.case import as_date, as_list, as_object, is_int, is_number, require
from mileage.rules.errors import InvalidCase
from mileage.rules.outcome import Trail
from mileage.rules.params import Parameters


@dataclass
class StepsReport:
    """One partner's daily total for one member-day (WALK-1)."""

    on: date
    source: str
    steps: int


def parse_stride(case: Mapping[str, Any], params: Parameters) -> Fraction | None:
    """WALK-2: the member's own stride in metres, or None for the default (missing or null)."""
    member = case.get("member")
    if member is None:
        return None
    stride = as_object(member, "member").get("stride_m")
    if stride is None:
        return None
    bounds = params.latest("walk.stride_range_m")
    if not is_number(stride) or not bounds["from"] <= to_fraction(stride) <= bounds["to"]:
        raise InvalidCase(
            "member.stride_m",
            f"{float(bounds['from'])}~{float(bounds['to'])}m 사이의 숫자가 아닙니다 "
            f"(not a number in [{float(bounds['from'])}, {float(bounds['to'])}]: {stride!r})",
        )
    return to_fraction(stride)


def parse_days(case: Mapping[str, Any], params: Parameters) -> list[StepsReport]:
    """RULES-CLI: the same (date, source) twice — the later entry replaces the earlier one but
    keeps its place in the input order (a partner re-sending a day)."""
    raw = as_list(require(case, "days", "days"), "days")
    reports: dict[tuple[date, str], StepsReport] = {}
    for index, item in enumerate(raw):
        path = f"days[{index}]"
        entry = as_object(item, path)
        on = as_date(require(entry, "date", f"{path}.date"), f"{path}.date")
        source = require(entry, "source", f"{path}.source")
        if not isinstance(source, str) or not source.strip():
            raise InvalidCase(f"{path}.source", "출처가 비어 있습니다 (empty source)")
        steps = require(entry, "steps", f"{path}.steps")
        if not is_int(steps):
            raise InvalidCase(f"{path}.steps", f"정수가 아닙니다 (not an integer: {steps!r})")
        if steps < 0:
            raise InvalidCase(f"{path}.steps", f"음수입니다 (negative: {steps})")
        limit = int(params.at("walk.absurd_daily_steps", on))
        if steps > limit:
            raise InvalidCase(
                f"{path}.steps",
                f"하루 {limit:,}보를 넘는 비정상 값입니다 (absurd: over {limit:,} steps a day)",
            )
        key = (on, source)
        if key in reports:
            reports[key].steps = steps  # dict keeps the first insertion's position
        else:
            reports[key] = StepsReport(on, source, steps)
    return list(reports.values())


def counted_report(candidates: Sequence[StepsReport]) -> StepsReport:
    """WALK-1: one member-day counts once: the largest total across its sources, never the sum
    (the first in input order on a tie). The database's form of this rule is
    `mileage.walking.queries.counted_days`; a test holds the two together."""
    return max(candidates, key=lambda r: r.steps)


def day_mileage(steps: int, params: Parameters, on: date) -> int:
    """WALK-3: 1 mileage per 100 steps, at most 100 a day (만보걷기) by default."""
    per = int(params.at("walk.steps_per_mileage", on))
    cap = int(params.at("walk.daily_mileage_cap", on))
    return min(steps // per, cap)


def full_day_steps(params: Parameters, on: date) -> int:
    """WALK-3: the steps that earn a day's full mileage (만보걷기: 100 × 100 = 10,000)."""
    return int(params.at("walk.steps_per_mileage", on)) * int(
        params.at("walk.daily_mileage_cap", on)
    )


def bonus_multiplier(multipliers: Iterable[Fraction]) -> Fraction:
    """WALK-3 bonus day (e.g. 걷기의 날, the 11th). [interp] WALK-3: several bonuses of one day
    do not stack: the largest wins; no bonus (or none above 1) multiplies by 1."""
    return max([Fraction(1), *multipliers])


def bonus_day_mileage(steps: int, multiplier: Fraction, params: Parameters, on: date) -> int:
    """WALK-3: mileage of a bonus day. [interp] WALK-3: the bonus multiplies the capped day
    amount (so the 11th pays at most cap × multiplier), rounded down."""
    return math.floor(day_mileage(steps, params, on) * multiplier)


def steps_km(steps: int, stride_m: Fraction) -> Fraction:
    """WALK-2: distance = steps × stride (km), exact."""
    return Fraction(steps) * stride_m / 1000


def evaluate_walk(case: Mapping[str, Any], params: Parameters, trail: Trail) -> dict[str, Any]:
    """WALK-1..WALK-3: one row per date, sorted, then the totals."""
    own_stride = parse_stride(case, params)
    reports = parse_days(case, params)
    by_day: dict[date, list[StepsReport]] = {}
    for report in reports:
        by_day.setdefault(report.on, []).append(report)
    days_out: list[dict[str, Any]] = []
    total_steps, total_km, total_mileage = 0, Fraction(0), 0
    for on in sorted(by_day):
        candidates = by_day[on]
        counted = counted_report(candidates)  # WALK-1
        stride = (
            own_stride
            if own_stride is not None
            else to_fraction(params.at("walk.default_stride_m", on))
        )
        km = steps_km(counted.steps, stride)
        mileage = day_mileage(counted.steps, params, on)
        several = len(candidates) > 1
        shown_km = display(km)
        days_out.append(
            {
                "date": on.isoformat(),
                "steps": counted.steps,
                "source": counted.source,
                "km": shown_km,
                "mileage": mileage,
                "reasons": ["WALK-1", "WALK-3"] if several else ["WALK-3"],
            }
        )
        if several:
            trail.say(
                "WALK-1",
                "{on}: {sources}개 출처 중 최대 {steps:,}보({source})만 인정",
                "{on}: the largest of {sources} sources counts, {steps:,} steps ({source})",
                on=on,
                sources=len(candidates),
                steps=counted.steps,
                source=counted.source,
            )
        trail.say(
            "WALK-3",
            "{on}: {steps:,}보 × {stride}m = {km}km → {mileage} 마일리지",
            "{on}: {steps:,} steps × {stride} m = {km} km → {mileage} mileage",
            on=on,
            steps=counted.steps,
            stride=float(stride),
            km=shown_km,
            mileage=mileage,
        )
        total_steps += counted.steps
        total_km += km
        total_mileage += mileage
    return {
        "days": days_out,
        "total_steps": total_steps,
        "total_km": display(total_km),
        "total_mileage": total_mileage,
    }
