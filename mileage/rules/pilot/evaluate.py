"""The 2014 pilot (승용차 마일리지 시범사업): one enrolled vehicle → its one outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from mileage.rules.case import Reading, as_bool, as_date, parse_readings, parse_vehicle, require
from mileage.rules.dates import days_between
from mileage.rules.errors import InvalidCase
from mileage.rules.outcome import AWARDED, NO_AWARD, VOID, CycleOutcome, Trail
from mileage.rules.params import Parameters
from mileage.rules.pilot.enrolment import contract_in_period, pilot_period
from mileage.rules.pilot.rules import (
    late_readings,
    payment_dates,
    pilot_award,
    previous_year_km,
    reduction_pct,
)
from mileage.rules.readings import (
    check_first_registration,
    check_initial_first,
    check_readings,
    check_vehicle_changes,
    resolve_effective_dates,
)


def _check_events(readings: Sequence[Reading]) -> None:
    """RULES-CLI: `initial` first, `final` only last, change pairs between (PILOT-9)."""
    check_initial_first(readings)
    for reading in readings[:-1]:
        if reading.event == "final":
            raise InvalidCase(
                f"{reading.path}.event",
                "final은 마지막 기록이어야 합니다 (final must be the last reading)",
            )
    check_vehicle_changes(readings)


def evaluate_pilot(case: Mapping[str, Any], params: Parameters, trail: Trail) -> list[CycleOutcome]:
    """PILOT-3..PILOT-10: the pilot's outcome, or none before the final reading."""
    vehicle = parse_vehicle(case, registered=True, fuel=True)
    contract_on = as_date(
        require(case, "insurance_contract", "insurance_contract"), "insurance_contract"
    )
    if not contract_in_period(contract_on, params):
        first, last = pilot_period(params)
        raise InvalidCase(
            "insurance_contract",
            f"시범사업 기간({first} ~ {last}) 밖의 보험계약입니다 (outside the pilot period, E-12)",
        )
    bank_account = as_bool(require(case, "bank_account", "bank_account"), "bank_account")
    readings = parse_readings(case, "pilot-2014")
    _check_events(readings)
    resolve_effective_dates(readings, program="pilot-2014")
    check_readings(readings, params, photo_age=False)
    check_first_registration(readings, vehicle.first_registered_on)
    initial = readings[0]
    assert vehicle.first_registered_on and initial.effective_on and initial.uploaded_on
    previous, new_car = previous_year_km(
        vehicle.first_registered_on, initial.effective_on, initial.km, params, contract_on
    )
    if readings[-1].event != "final":
        return []
    final = readings[-1]
    assert final.effective_on and final.uploaded_on
    days = days_between(initial.effective_on, final.effective_on)
    if days <= 0:
        raise InvalidCase(final.date_field, "기간이 0일입니다 (a period of 0 days, E-1)")
    extra: dict[str, Any] = {"six_month_km": None, "payment_by": None}
    late = late_readings(readings, contract_on, params)
    if late:
        reading, deadline = late[0]
        trail.say(
            "PILOT-3",
            "{event} 기록을 기한({deadline}) 후 {uploaded}에 전송하여 무효",
            "{event} reading sent on {uploaded}, after {deadline}: void",
            event=reading.event,
            deadline=deadline,
            uploaded=reading.uploaded_on,
        )
        return [
            CycleOutcome(
                initial.effective_on,
                final.effective_on,
                days,
                VOID,
                ["PILOT-3", "PILOT-10"],
                extra=extra,
            )
        ]
    return [
        _evaluate(
            readings,
            previous,
            new_car,
            days,
            bank_account,
            vehicle.fuel,
            contract_on,
            params,
            trail,
        )
    ]


def _driven_raw_km(readings: Sequence[Reading]) -> tuple[int, bool]:
    """PILOT-9: the old and new vehicles' distances are added (as ECO-13, E-7)."""
    total, leg_start, changed = 0, readings[0], False
    for reading in readings[1:]:
        if reading.event == "change-in":
            leg_start, changed = reading, True
        else:
            total += reading.km - leg_start.km
            leg_start = reading
    return total, changed


def _evaluate(
    readings: Sequence[Reading],
    previous: Fraction,
    new_car: bool,
    days: int,
    bank_account: bool,
    fuel: str | None,
    contract_on: Any,
    params: Parameters,
    trail: Trail,
) -> CycleOutcome:
    initial, final = readings[0], readings[-1]
    assert initial.effective_on and final.effective_on and initial.uploaded_on and final.uploaded_on
    raw_km, changed = _driven_raw_km(readings)
    daily = Fraction(raw_km, days)  # PILOT-5: 일평균 주행거리
    this_year = daily * 365
    six_month = daily * int(params.at("pilot.six_month_days", contract_on))
    pct = reduction_pct(previous, this_year)
    trail.say(
        "PILOT-4",
        "전년도 주행거리: "
        + ("1년 미경과 차량 " if new_car else "최초등록부터 연환산 ")
        + "{previous:km}km",
        "Previous-year km: "
        + ("car under a year old, " if new_car else "annualised since first registration, ")
        + "{previous:km} km",
        previous=previous,
    )
    trail.say(
        "PILOT-5",
        "일평균 {raw_km:,}km / {days}일 → 당해년도 {this_year:km}km, 6개월 {six_month:km}km",
        "Daily {raw_km:,} km / {days} days → this year {this_year:km} km, six months "
        "{six_month:km} km",
        raw_km=raw_km,
        days=days,
        this_year=this_year,
        six_month=six_month,
    )
    amount = pilot_award(pct, fuel == "electric", params, contract_on)
    reasons = ["PILOT-7", "PILOT-6", "PILOT-4"] + (["PILOT-9"] if changed else [])
    trail.say(
        "PILOT-7",
        "감축률 {pct}% (소수점 이하 절사) → "
        + ("{amount:ko}원" if amount else "지급 없음")
        + (" (전기차 20% 추가)" if amount and fuel == "electric" else ""),
        "Reduction {pct}% (truncated) → "
        + ("{amount:,} won" if amount else "no award")
        + (" (electric +20%)" if amount and fuel == "electric" else ""),
        pct="-" if pct is None else pct,
        amount=amount,
    )
    min_days = int(params.at("pilot.min_participation_days", contract_on))
    participation = days_between(initial.uploaded_on, final.uploaded_on)
    if amount and (participation < min_days or not bank_account):
        amount = 0
        reasons.insert(0, "PILOT-8")
        short = participation < min_days
        trail.say(
            "PILOT-8",
            "지급 조건 미충족: "
            + ("참여 {participation}일 < {min_days}일" if short else "은행계좌 미제출"),
            "Conditions not met: "
            + ("participation {participation} days < {min_days}" if short else "no bank account"),
            participation=participation,
            min_days=min_days,
        )
    outcome = CycleOutcome(
        initial.effective_on,
        final.effective_on,
        days,
        NO_AWARD,
        reasons,
        baseline_km=previous,
        driven_km=this_year,
        reduction_km=previous - this_year,
        reduction_pct=pct,
        extra={"six_month_km": six_month, "payment_by": None},
    )
    if amount:
        paid_on, paid_by = payment_dates(final.uploaded_on, params, contract_on)
        outcome.status, outcome.kind, outcome.mileage = AWARDED, "pilot", amount
        outcome.payment_on, outcome.extra["payment_by"] = paid_on, paid_by
        trail.say(
            "PILOT-8",
            "지급: {paid_on} ~ {paid_by}",
            "Paid between {paid_on} and {paid_by}",
            paid_on=paid_on,
            paid_by=paid_by,
        )
    return outcome
