"""The dated eco-car parameters in the shape the batch kernel uses: small int64 arrays and tables.

Every number comes from `mileage.rules.params` (the dated YAML, with any city overrides); nothing
here repeats a value the YAML holds. Values that are dated per row in practice (ECO-10's
maintenance award and its cycle-start limit, keyed by the closing reading's upload date, and the
Seoul averages by year) become per-day or per-year lookup tables over the range of dates the batch
actually holds. Everything else must be constant over that range; `versions()` tells the caller
where a key falls inside it so the batch can be split there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from mileage.rules.batch import calendar
from mileage.rules.batch.limits import MAX_KM
from mileage.rules.dates import month_day
from mileage.rules.errors import InvalidCase
from mileage.rules.params import Parameters

SEOUL_AVERAGE = "common.seoul_average_annual_km"
KM_TIERS = "eco.regular_km_tiers"
PCT_TIERS = "eco.regular_pct_tiers"
MAINTENANCE_AWARD = "eco.maintenance_award"
MAINTENANCE_START = "eco.maintenance_cycle_start_from"
EARLY_MIN_MONTHS = "eco.early_end_min_months"
EARLY_TRUNCATION = "eco.early_end_truncation_won"
WINDOW_DAYS = "eco.annual_window_days"
PHOTO_MAX_AGE = "eco.photo_max_age_days"
PAYMENT_CALENDAR = "eco.payment_calendar"

# Parameters read once per batch (keyed by the closing reading's upload date); a key inside the
# batch's upload range splits the batch into versions.
CONSTANT_NAMES = (
    KM_TIERS,
    PCT_TIERS,
    EARLY_MIN_MONTHS,
    EARLY_TRUNCATION,
    PHOTO_MAX_AGE,
    PAYMENT_CALENDAR,
)
NO_VALUE = -1  # in a per-day or per-year table: no value in force (MissingParameter if needed)


def _whole(value: Any, name: str) -> int:
    """A tier bound as an int: the batch compares whole-number bounds exactly (C-4)."""
    if isinstance(value, Fraction):
        if value.denominator != 1:
            raise InvalidCase(name, f"batch path needs whole-number tier bounds, got {value}")
        return int(value)
    return int(value)


def _tiers(rows: Any, name: str, most: int) -> tuple[np.ndarray, np.ndarray]:
    """ECO-9 tier table as int64 arrays; bounds 0..most keep `bound * Q` inside int64 (C-4)."""
    bounds = np.array([_whole(row["from"], name) for row in rows], dtype=np.int64)
    awards = np.array([int(row["mileage"]) for row in rows], dtype=np.int64)
    if np.any(np.diff(bounds) < 0) or bounds.min() < 0 or bounds.max() > most:
        raise InvalidCase(name, f"batch path needs ascending tier bounds in 0..{most}")
    return bounds, awards


def versions(params: Parameters, lo: int, hi: int) -> list[int]:
    """Day numbers in (lo, hi] where one of CONSTANT_NAMES changes value."""
    cuts: set[int] = set()
    for name in CONSTANT_NAMES:
        for key in params.info(name).keys:
            day = calendar.day_number(key)
            if lo < day <= hi:
                cuts.add(day)
    return sorted(cuts)


@dataclass(frozen=True)
class EcoCarBatchParams:
    """One version of the eco-car parameters, for uploads between two parameter keys."""

    km_bounds: np.ndarray  # ECO-9 km tier lower bounds, int64, first 0
    km_awards: np.ndarray
    pct_bounds: np.ndarray  # ECO-9 pct tier lower bounds
    pct_awards: np.ndarray
    early_min_months: int  # ECO-11
    truncation_won: int  # ECO-11
    photo_max_age_days: int  # ECO-4, E-1
    payment_md: np.ndarray  # ECO-12: per (month * 32 + day) of upload, index of the period
    payment_rows: tuple[tuple[str, bool], ...]  # per period: pay_on "MM-DD", next_year

    @classmethod
    def build(cls, params: Parameters, on: dt.date) -> EcoCarBatchParams:
        km_bounds, km_awards = _tiers(params.at(KM_TIERS, on), KM_TIERS, MAX_KM)
        pct_bounds, pct_awards = _tiers(params.at(PCT_TIERS, on), PCT_TIERS, 100)
        rows = params.at(PAYMENT_CALENDAR, on)
        starts = [(int(r["uploads_from"][:2]), int(r["uploads_from"][3:])) for r in rows]
        md = np.arange(13 * 32)
        period = np.full(md.shape, -1, dtype=np.int64)
        for index, (month, day) in enumerate(starts):
            period[md >= month * 32 + day] = index
        if period[1 * 32 + 1] < 0:
            raise InvalidCase(PAYMENT_CALENDAR, "the first period must start on 01-01")
        return cls(
            km_bounds=km_bounds,
            km_awards=km_awards,
            pct_bounds=pct_bounds,
            pct_awards=pct_awards,
            early_min_months=int(params.at(EARLY_MIN_MONTHS, on)),
            truncation_won=int(params.at(EARLY_TRUNCATION, on)),
            photo_max_age_days=int(params.at(PHOTO_MAX_AGE, on)),
            payment_md=period,
            payment_rows=tuple((r["pay_on"], bool(r["next_year"])) for r in rows),
        )

    def payment_table(self, lo: int, hi: int) -> np.ndarray:
        """ECO-12: payment day for every upload day lo..hi (int32 day numbers)."""
        days = np.arange(lo, hi + 1, dtype=np.int32)
        _, moy = calendar.month_of(days)
        _, dom = calendar.split(days)
        period = self.payment_md[moy * 32 + dom]
        years = calendar.year_of(days)
        out = np.empty(days.shape, dtype=np.int32)
        # Few distinct (year, period) pairs: compute each once with the scalar date helper.
        keys = years.astype(np.int64) * 16 + period
        for key in np.unique(keys):
            year, index = divmod(int(key), 16)
            pay_on, next_year = self.payment_rows[index]
            out[keys == key] = calendar.day_number(month_day(year + next_year, pay_on))
        return out


def per_day_table(params: Parameters, name: str, lo: int, hi: int, *, as_day: bool) -> np.ndarray:
    """A dated scalar parameter for every day lo..hi (NO_VALUE before its first key)."""
    parameter = params.info(name)
    days = np.arange(lo, hi + 1, dtype=np.int32)
    out = np.full(days.shape, NO_VALUE, dtype=np.int64)
    for key, entry in zip(parameter.keys, parameter.values, strict=True):
        value = calendar.day_number(entry.value) if as_day else int(entry.value)
        out[days >= calendar.day_number(key)] = value
    return out


def per_year_table(params: Parameters, lo_year: int, hi_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Seoul averages for years lo..hi: (exact year value, value in force in that year, E-5).

    The first is ECO-6's exact lookup (NO_VALUE where the year is missing, E-4); the second is
    the value of the latest statistics year Y with Y + 1 <= the year (E-5).
    """
    years = np.arange(lo_year, hi_year + 1)
    exact = np.full(years.shape, NO_VALUE, dtype=np.int64)
    in_force = np.full(years.shape, NO_VALUE, dtype=np.int64)
    for year in params.years(SEOUL_AVERAGE):
        value = params.by_year(SEOUL_AVERAGE, year)
        if isinstance(value, Fraction):
            if value.denominator != 1:
                raise InvalidCase(SEOUL_AVERAGE, f"batch path needs whole km, got {value}")
            value = int(value)
        exact[years == year] = value
        in_force[years >= year + 1] = value
    return exact, in_force
