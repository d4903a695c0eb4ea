"""PILOT-3..PILOT-8: deadlines, previous-year km, this year's km, reduction, award, payment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PilotDeadlines:
    """PILOT-3 / E-11: the sending deadlines (전송 기한) of one participation, by upload date.

    Initial: any time before the contract or up to `initial_due` (contract + 7 days). Final: from
    `final_opens` (contract + 6 months, C-5) to `final_due` (contract + (6 + 1) months); an
    earlier final reading is an early end. Replacement: the change date + `replacement_days` (3).
    """

    contract_on: date
    initial_days: int
    replacement_days: int
    final_due_months: int
    final_window_months: int

    @property
    def initial_due(self) -> date:
        return self.contract_on + timedelta(days=self.initial_days)

    @property
    def final_opens(self) -> date:
        return add_months(self.contract_on, self.final_due_months)

    @property
    def final_due(self) -> date:
        return add_months(self.contract_on, self.final_due_months + self.final_window_months)

    def replacement_due(self, changed_on: date) -> date:
        return changed_on + timedelta(days=self.replacement_days)


def pilot_deadlines(contract_on: date, params: Parameters) -> PilotDeadlines:
    """PILOT-3: the deadlines of a participation whose insurance contract is of `contract_on`
    (the parameters in force on that day)."""
    return PilotDeadlines(
        contract_on=contract_on,
        initial_days=int(params.at("pilot.initial_deadline_days", contract_on)),
        replacement_days=int(params.at("pilot.replacement_deadline_days", contract_on)),
        final_due_months=int(params.at("pilot.final_due_months", contract_on)),
        final_window_months=int(params.at("pilot.final_window_months", contract_on)),
    )


def late_readings(
    readings: Sequence[Reading], contract_on: date, params: Parameters
) -> list[tuple[Reading, date]]:
    """PILOT-3 / E-11: readings uploaded after their deadline (`pilot_deadlines`), with the
    deadline. Replacement (change-out and change-in): the change date is the change-out's
    effective date."""
    late: list[tuple[Reading, date]] = []
    limits = pilot_deadlines(contract_on, params)
    change_on: date | None = None
    for reading in readings:
        assert reading.uploaded_on is not None
        if reading.event == "initial":
            deadline = limits.initial_due
        elif reading.event == "final":
            deadline = limits.final_due
        else:
            if reading.event == "change-out":
                change_on = reading.effective_on
            assert change_on is not None
            deadline = limits.replacement_due(change_on)
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
