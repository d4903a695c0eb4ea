"""PILOT-3..PILOT-8: deadlines, previous-year km, this year's km, reduction, award, payment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from mileage.rules.arith import annualise, truncate_toward_zero
from mileage.rules.case import Reading
from mileage.rules.dates import add_months, days_between, one_year_after
from mileage.rules.params import Parameters


def previous_year_km(
    registered_on: date, initial_on: date, initial_km: int, params: Parameters, contract_on: date
) -> tuple[Fraction, bool]:
    """PILOT-4: previous-year km (전년도 주행거리): initial km annualised since first
    registration; a car under one year old (C-5) takes 10,585 km. Returns (km, new car?)."""
    if one_year_after(registered_on) <= initial_on:
        return annualise(initial_km, days_between(registered_on, initial_on)), False
    return Fraction(params.at("pilot.new_car_km", contract_on)), True


def late_readings(
    readings: Sequence[Reading], contract_on: date, params: Parameters
) -> list[tuple[Reading, date]]:
    """PILOT-3 / E-11: readings uploaded after their deadline, with the deadline.

    Initial: contract + 7 days (or any time before the contract). Replacement (change-out and
    change-in): the change date (the change-out's effective date) + 3 days. Final: contract +
    (6 + 1) months (C-5); an earlier final reading is an early end.
    """
    late: list[tuple[Reading, date]] = []
    initial_days = int(params.at("pilot.initial_deadline_days", contract_on))
    change_days = int(params.at("pilot.replacement_deadline_days", contract_on))
    months = int(params.at("pilot.final_due_months", contract_on)) + int(
        params.at("pilot.final_window_months", contract_on)
    )
    change_on: date | None = None
    for reading in readings:
        assert reading.uploaded_on is not None
        if reading.event == "initial":
            deadline = contract_on + timedelta(days=initial_days)
        elif reading.event == "final":
            deadline = add_months(contract_on, months)
        else:
            if reading.event == "change-out":
                change_on = reading.effective_on
            assert change_on is not None
            deadline = change_on + timedelta(days=change_days)
        if reading.uploaded_on > deadline:
            late.append((reading, deadline))
    return late


def reduction_pct(previous_km: Fraction, this_year_km: Fraction) -> int | None:
    """PILOT-6: `(previous − this) / previous × 100`, truncated toward zero (E-12); None when
    the previous-year km is 0 (no rate can be computed)."""
    if previous_km == 0:
        return None
    return truncate_toward_zero((previous_km - this_year_km) / previous_km * 100)


def pilot_award(pct: int | None, electric: bool, params: Parameters, on: date) -> int:
    """PILOT-7: award by truncated pct (5–9 → 10,000 … ≥50 → 35,000); below 5 nothing;
    electric vehicles get 20% more (35,000 → 42,000). Only `electric` gets it (E-12)."""
    if pct is None:
        return 0
    amount = 0
    for row in params.at("pilot.award_tiers", on):
        if pct >= row["from"]:
            amount = int(row["mileage"])
    if amount and electric:
        bonus = Fraction(params.at("pilot.ev_bonus_pct", on))
        amount = int(amount * (100 + bonus) / 100)
    return amount


def payment_dates(final_uploaded_on: date, params: Parameters, on: date) -> tuple[date, date]:
    """PILOT-8: paid 60 to 70 days after the final submission (60일 경과 후 70일 이내)."""
    after = int(params.at("pilot.payment_after_days", on))
    within = int(params.at("pilot.payment_within_days", on))
    return final_uploaded_on + timedelta(days=after), final_uploaded_on + timedelta(days=within)
