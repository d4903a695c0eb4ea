"""E-5: Seoul's average annual distance (서울시 연평균 주행거리) in force on a date."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from mileage.rules.errors import MissingParameter
from mileage.rules.params import Parameters

SEOUL_AVERAGE = "common.seoul_average_annual_km"


def seoul_average_year_in_force(params: Parameters, on: date) -> int:
    """E-5: the latest statistics year Y with Y + 1 ≤ year(on); published statistics apply from
    1 January of the following year until newer ones are entered."""
    years = [year for year in params.years(SEOUL_AVERAGE) if year + 1 <= on.year]
    if not years:
        raise MissingParameter(SEOUL_AVERAGE, on.year - 1)
    return max(years)


def seoul_average_in_force(params: Parameters, on: date) -> Fraction:
    """E-5 (ECO-10, ECO-16): the Seoul average in force on `on`, exact (C-4)."""
    return params.derived(
        ("seoul_average_in_force", on),
        lambda: Fraction(params.by_year(SEOUL_AVERAGE, seoul_average_year_in_force(params, on))),
    )


def seoul_average_of_year(params: Parameters, year: int) -> Fraction:
    """ECO-6 / E-4: the Seoul average of exactly this statistics year, else MissingParameter."""
    return Fraction(params.by_year(SEOUL_AVERAGE, year))
