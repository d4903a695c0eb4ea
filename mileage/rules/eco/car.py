"""Eco-mileage for cars (에코마일리지 승용차): one vehicle's history → its evaluated cycles.

Order of decisions per cycle: ECO-5 window (late → void, ECO-14) or ECO-11 early end (under 9
months → not evaluated, a year or more → void, E-9), then ECO-6/7 baseline, ECO-8 driven km,
ECO-9 regular or ECO-10 maintenance mileage, ECO-11 pro-rating, ECO-12 payment date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from mileage.rules.arith import Ratio
from mileage.rules.case import (
    END_REASONS,
    MISSING,
    as_choice,
    as_date,
    as_object,
    parse_readings,
    parse_vehicle,
    require,
)
from mileage.rules.dates import add_months, add_years
from mileage.rules.eco.award import maintenance_award, prorate, regular_award
from mileage.rules.eco.baseline import first_cycle_baseline_km, later_cycle_baseline_km
from mileage.rules.eco.cycle import (
    EcoCycle,
    annual_window,
    check_annual_not_early,
    check_structure,
    resolve_annual_dates,
    split_cycles,
)
from mileage.rules.eco.payment import payment_on
from mileage.rules.errors import InvalidCase
from mileage.rules.outcome import AWARDED, NO_AWARD, NOT_EVALUATED, VOID, CycleOutcome, Trail
from mileage.rules.params import Parameters
from mileage.rules.readings import (
    check_first_registration,
    check_readings,
    check_vehicle_changes,
    resolve_effective_dates,
)


def parse_ended(case: Mapping[str, Any]) -> tuple[str, date] | None:
    """RULES-CLI `ended`: `reason` transfer (명의이전) or deregistration (말소), and `on`."""
    raw = case.get("ended")
    if raw is None:
        return None
    ended = as_object(raw, "ended")
    reason = as_choice(require(ended, "reason", "ended.reason"), "ended.reason", END_REASONS)
    if ended.get("on") is None:
        raise InvalidCase("ended.on", MISSING)
    return reason, as_date(ended["on"], "ended.on")


def evaluate_eco_car(
    case: Mapping[str, Any], params: Parameters, trail: Trail
) -> list[CycleOutcome]:
    """ECO-5..ECO-14: every closed cycle of one enrolled vehicle, in order."""
    vehicle = parse_vehicle(case, registered=True, fuel=False)
    readings = parse_readings(case, "eco-car")
    ended = parse_ended(case)
    check_structure(readings, ended is not None)
    check_vehicle_changes(readings)
    resolve_effective_dates(readings, program="eco-car")
    resolve_annual_dates(readings, params)
    check_readings(readings, params)
    check_annual_not_early(readings, params)
    check_first_registration(readings, vehicle.first_registered_on)
    registered_on = vehicle.first_registered_on
    assert registered_on is not None
    initial = readings[0]
    assert initial.effective_on is not None and initial.uploaded_on is not None
    # E-4: computed even when no cycle is closed yet, so a missing average is still an error
    first_baseline = first_cycle_baseline_km(
        registered_on, initial.effective_on, initial.km, params, trail
    )
    outcomes: list[CycleOutcome] = []
    previous_regular = False
    changed_before = False
    for cycle in split_cycles(readings):
        if cycle.number == 1:
            baseline, base_clause = first_baseline, "ECO-6"
        elif previous_regular and not changed_before:
            assert cycle.start.effective_on is not None
            baseline = later_cycle_baseline_km(
                registered_on, cycle.start.effective_on, cycle.start.km, trail
            )
            base_clause = "ECO-7"
        else:
            # ECO-7 / E-6: no regular award last cycle, or a vehicle change before: keep ECO-6's
            baseline, base_clause = first_baseline, "ECO-7"
            trail.say(
                "ECO-7",
                "기준 주행거리: 최초 가입 기준 {baseline:km}km 유지",
                "Baseline: the first cycle's {baseline:km} km is kept",
                baseline=first_baseline,
            )
        outcome = evaluate_cycle(cycle, baseline, base_clause, initial.uploaded_on, params, trail)
        outcomes.append(outcome)
        previous_regular = outcome.kind == "regular" and outcome.mileage > 0
        changed_before = changed_before or cycle.changed
    return outcomes


def _closed_early(cycle: EcoCycle, params: Parameters, trail: Trail) -> CycleOutcome | None:
    """ECO-11 / E-9: an early end under 9 months is not evaluated; a year or more is void."""
    assert cycle.end.uploaded_on is not None
    months = int(params.at("eco.early_end_min_months", cycle.end.uploaded_on))
    if cycle.end_on < add_months(cycle.start_on, months):
        trail.say(
            "ECO-11",
            "참여 종료: {months}개월 미만 참여로 평가하지 않음",
            "Early end after less than {months} months: not evaluated",
            months=months,
        )
        return _empty(cycle, NOT_EVALUATED, ["ECO-11"])
    if cycle.end_on >= add_years(cycle.start_on, 1):
        trail.say(
            "ECO-11",
            "참여 종료가 주기 시작 1년 이후: 연간 실적이 제출되지 않아 무효",
            "End a year or more after the cycle start: the annual reading was due, void",
        )
        return _empty(cycle, VOID, ["ECO-11", "ECO-5", "ECO-14"])
    return None


def _empty(cycle: EcoCycle, status: str, reasons: list[str]) -> CycleOutcome:
    return CycleOutcome(cycle.start_on, cycle.end_on, cycle.days, status, reasons)


def evaluate_cycle(
    cycle: EcoCycle,
    baseline: Ratio,
    base_clause: str,
    initial_uploaded_on: date,
    params: Parameters,
    trail: Trail,
) -> CycleOutcome:
    """ECO-5, ECO-8..ECO-12: one cycle's outcome."""
    uploaded_on = cycle.end.uploaded_on
    assert uploaded_on is not None
    trail.say(
        "ECO-5",
        "{number}주기: {start} ~ {end} ({days}일)",
        "Cycle {number}: {start} to {end} ({days} days)",
        number=cycle.number,
        start=cycle.start_on,
        end=cycle.end_on,
        days=cycle.days,
    )
    early = cycle.end.event == "end"
    if early:
        stopped = _closed_early(cycle, params, trail)
        if stopped is not None:
            return stopped
    else:
        _, last_on = annual_window(initial_uploaded_on, cycle.number, params)
        if uploaded_on > last_on:
            trail.say(
                "ECO-14",
                "연간 실적을 기한({last}) 후 {uploaded}에 등록하여 무효",
                "Annual reading uploaded on {uploaded}, after the deadline {last}: void",
                last=last_on,
                uploaded=uploaded_on,
            )
            return _empty(cycle, VOID, ["ECO-5", "ECO-14"])
    driven = cycle.driven_km()
    trail.say(
        "ECO-8",
        "실제 주행거리: {raw:,}km / {days}일 → 연 {driven:km}km"
        + (" (차량 변경 전후 합산)" if cycle.changed else ""),
        "Driven: {raw:,} km in {days} days → {driven:km} km a year"
        + (" (old and new vehicle added)" if cycle.changed else ""),
        raw=cycle.driven_raw_km,
        days=cycle.days,
        driven=driven,
    )
    reduction = baseline - driven
    pct = reduction / baseline * 100 if baseline else None  # E-6: baseline 0 → km table only
    outcome = CycleOutcome(
        cycle.start_on, cycle.end_on, cycle.days, NO_AWARD, [], baseline, driven, reduction, pct
    )
    if reduction >= 0:
        award = regular_award(reduction, pct, params, uploaded_on)
        outcome.kind, outcome.mileage = "regular", award.mileage
        core = ["ECO-9", base_clause]
        trail.say(
            "ECO-9",
            "기준 주행거리 {baseline:km}km 대비 {pct:pct} 감축 → "
            "{mileage:ko} 마일리지 ({reduction:km}km 감축)",
            "Reduced {pct:pct} against the baseline {baseline:km} km → "
            "{mileage:,} mileage ({reduction:km} km less)",
            baseline=baseline,
            pct=pct,
            mileage=award.mileage,
            reduction=reduction,
        )
    else:
        maintenance = maintenance_award(driven, cycle.start_on, uploaded_on, params)
        core = ["ECO-10", "ECO-9", base_clause]
        trail.say(
            "ECO-9",
            "기준 주행거리 {baseline:km}km 대비 {rise:km}km 증가: 정기 마일리지 없음",
            "Driving rose {rise:km} km over the baseline {baseline:km} km: no regular mileage",
            baseline=baseline,
            rise=-reduction,
        )
        _say_maintenance(maintenance, driven, trail)
        if maintenance.mileage:
            outcome.kind, outcome.mileage = "maintenance", maintenance.mileage
    if cycle.changed:
        core.insert(core.index(base_clause) + 1, "ECO-13")
    if early:
        core.insert(0, "ECO-11")
        if outcome.mileage:
            full = outcome.mileage
            outcome.mileage = prorate(full, cycle.days, params, uploaded_on)
            trail.say(
                "ECO-11",
                "참여 종료 일할 계산: {full:,} ÷ 365 × {days} → {mileage:,} (원단위 절사)",
                "Early end pro-rated: {full:,} / 365 × {days} → {mileage:,} (truncated to 10 won)",
                full=full,
                days=cycle.days,
                mileage=outcome.mileage,
            )
    if outcome.mileage:
        outcome.status = AWARDED
        outcome.payment_on = payment_on(uploaded_on, params)
        core.append("ECO-12")
        trail.say(
            "ECO-12",
            "{uploaded} 등록분 지급일: {paid} 이후",
            "Uploaded {uploaded}: paid on or after {paid}",
            uploaded=uploaded_on,
            paid=outcome.payment_on,
        )
    else:
        outcome.kind = None
    outcome.reasons = core
    return outcome


def _say_maintenance(maintenance: Any, driven: Ratio, trail: Trail) -> None:
    if not maintenance.in_force:
        trail.say(
            "ECO-10",
            "유지 마일리지 적용 대상 아님 (2023-05-01 이후 등록, 2022-05-01 이후 시작 주기만)",
            "Maintenance mileage does not apply (uploads from 2023-05-01, cycles from 2022-05-01)",
        )
        return
    if maintenance.mileage:
        trail.say(
            "ECO-10",
            "주행거리 {driven:km}km ≤ 서울시 연평균 {average:km}km → 유지 마일리지 {mileage:ko}",
            "Driven {driven:km} km ≤ Seoul average {average:km} km → "
            "maintenance mileage {mileage:,}",
            driven=driven,
            average=maintenance.average_km,
            mileage=maintenance.mileage,
        )
    else:
        trail.say(
            "ECO-10",
            "주행거리 {driven:km}km > 서울시 연평균 {average:km}km: 유지 마일리지 없음",
            "Driven {driven:km} km > Seoul average {average:km} km: no maintenance mileage",
            driven=driven,
            average=maintenance.average_km,
        )
