"""ECO-9 regular mileage, ECO-10 maintenance mileage, ECO-11 early-end pro-rating."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import NamedTuple

from mileage.rules.arith import DAYS_PER_YEAR, Ratio
from mileage.rules.average import seoul_average_in_force
from mileage.rules.params import Parameters

Tier = tuple[Fraction, int]  # (lower bound, inclusive; mileage)


def _tiers(params: Parameters, name: str, on: date) -> tuple[Tier, ...]:
    """The table in force on `on` as exact rows, built once per Parameters object and date."""

    def build() -> tuple[Tier, ...]:
        rows = params.at(name, on)
        tiers = tuple((Fraction(row["from"]), int(row["mileage"])) for row in rows)
        if list(tiers) != sorted(tiers):
            raise ValueError(f"{name}: tiers must ascend")
        return tiers

    return params.derived(("tiers", name, on), build)


def regular_pct_tiers(params: Parameters, on: date) -> tuple[Tier, ...]:
    """ECO-9: the reduction-rate table (감축률 %) in force on `on`, exact lower bounds."""
    return _tiers(params, "eco.regular_pct_tiers", on)


def regular_km_tiers(params: Parameters, on: date) -> tuple[Tier, ...]:
    """ECO-9: the reduction-in-km table (감축량 km) in force on `on`, exact lower bounds."""
    return _tiers(params, "eco.regular_km_tiers", on)


def tier_mileage(value: Fraction | Ratio | None, tiers: tuple[Tier, ...]) -> int:
    """ECO-9: mileage of the highest tier whose lower bound ≤ value (0 below the first).

    C-4: `value ≥ lower` decided by integer cross-multiplication (both denominators positive);
    the bounds ascend, so the first bound above the value ends the search.
    """
    if value is None:
        return 0
    num, den = value.numerator, value.denominator
    amount = 0
    for lower, mileage in tiers:
        if num * lower.denominator < lower.numerator * den:
            break
        amount = mileage
    return amount


class RegularAward(NamedTuple):
    """ECO-9: the amount and which table gave it."""

    mileage: int
    by_pct: int
    by_km: int


def regular_award(
    reduction_km: Fraction | Ratio,
    reduction_pct: Fraction | Ratio | None,
    params: Parameters,
    on: date,
) -> RegularAward:
    """ECO-9: regular mileage (정기 마일리지), the better of the two tables (회원에 유리한 기준).

    [interp] ECO-9: a reduction of exactly 0 is in the first tier ("0~10% 미만").
    E-6: with a baseline of 0 the pct is None and the km table alone decides.
    """
    by_pct = tier_mileage(reduction_pct, regular_pct_tiers(params, on))
    by_km = tier_mileage(reduction_km, regular_km_tiers(params, on))
    return RegularAward(max(by_pct, by_km), by_pct, by_km)


class Maintenance(NamedTuple):
    """ECO-10: whether maintenance applies, and why not when it does not."""

    mileage: int
    in_force: bool
    average_km: Fraction | None


def maintenance_award(
    driven_km: Fraction | Ratio, cycle_start_on: date, closing_uploaded_on: date, params: Parameters
) -> Maintenance:
    """ECO-10: maintenance mileage (지속/유지 마일리지) for a cycle whose driving rose.

    Applies from the July 2023 evaluation on (E-8): the closing reading uploaded on or after
    the award's first date (2023-05-01) and the cycle started on or after 2022-05-01; then
    10,000 if the driven km ≤ the Seoul average in force on the upload date (E-5).
    """
    name = "eco.maintenance_award"
    if not params.in_force(name, closing_uploaded_on):
        return Maintenance(0, False, None)
    if cycle_start_on < params.at("eco.maintenance_cycle_start_from", closing_uploaded_on):
        return Maintenance(0, False, None)
    average = seoul_average_in_force(params, closing_uploaded_on)
    amount = int(params.at(name, closing_uploaded_on)) if driven_km <= average else 0
    return Maintenance(amount, True, average)


def prorate(award: int, days: int, params: Parameters, on: date) -> int:
    """ECO-11: early-end pro-rating (일할 계산) `award × days / 365`, truncated to 10 won.

    Seed 001 line 48: 70,000 ÷ 365 × 300 = 57,530. E-9: maintenance is pro-rated too.
    """
    unit = int(params.at("eco.early_end_truncation_won", on))
    return award * days // (DAYS_PER_YEAR * unit) * unit  # = truncate_to(award × days / 365)
