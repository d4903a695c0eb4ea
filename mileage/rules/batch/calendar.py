"""C-2, C-5: calendar arithmetic on int32 day numbers (days since 1970-01-01), vectorised.

Dates are the polars ``Date`` physical value (int32 days since the Unix epoch). "N months after
D" (C-5) is the same day of month N months later, clamped to that month's last day; a year is 12
months, so Feb 29 + 1 year is Feb 28 and Feb 29 + 4 years is Feb 29 again (E-3).

The arithmetic goes through two small tables built once per process (a calendar, not results):
for every day in the supported range its month number and day of month, and for every month its
first day and length. A lookup is a gather from an array that fits in the CPU cache, which is
several times cheaper than converting to ``datetime64[M]`` and back.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numba as nb
import numpy as np

EPOCH = dt.date(1970, 1, 1)
# Supported dates (inclusive). Inputs are validated against FIRST_DAY..LAST_INPUT_DAY; the tables
# run further so that adding years to the last accepted date stays inside them.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_INPUT_DATE = dt.date(2199, 12, 31)
_LAST_TABLE_DATE = dt.date(2399, 12, 31)
FIRST_DAY = (FIRST_DATE - EPOCH).days
LAST_INPUT_DAY = (LAST_INPUT_DATE - EPOCH).days
MAX_MONTHS_AHEAD = 12 * 200 - 1  # add_months(n) is defined for 0 <= n <= this


def day_number(value: dt.date) -> int:
    """The int32 day number of a date (days since 1970-01-01)."""
    return (value - EPOCH).days


def from_day_number(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


class _Tables:
    """Lookup tables: day -> (month index, day of month); month index -> first day, length."""

    def __init__(self) -> None:
        last_day = (_LAST_TABLE_DATE - EPOCH).days
        days = np.arange(FIRST_DAY, last_day + 1, dtype=np.int64)
        months = days.astype("datetime64[D]").astype("datetime64[M]")
        month_index = months.astype(np.int64)  # months since 1970-01
        self.first_month = int(month_index[0])
        month_first_day = months.astype("datetime64[D]").astype(np.int64)
        dom = days - month_first_day + 1
        # day -> (month index relative to first_month) * 32 + day of month, as one int32 gather.
        self.packed = ((month_index - self.first_month) * 32 + dom).astype(np.int32)
        all_months = np.arange(self.first_month, int(month_index[-1]) + 2, dtype=np.int64)
        starts = all_months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        self.month_start = starts[:-1].astype(np.int32)
        self.month_len = np.diff(starts).astype(np.int32)
        self.month_of_year = (all_months[:-1] % 12 + 1).astype(np.int32)  # 1..12
        self.year = (all_months[:-1] // 12 + 1970).astype(np.int32)


@lru_cache(maxsize=1)
def tables() -> _Tables:
    return _Tables()


def split(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers -> (month index into the tables, day of month 1..31)."""
    t = tables()
    packed = np.take(t.packed, days - FIRST_DAY)
    return packed >> 5, packed & 31


@nb.njit(cache=True, inline="always")
def add_months_day(day, months, first_day, packed, month_start, month_len):  # type: ignore[no-untyped-def]
    """C-5: ``months`` months after day number ``day`` (clamped to the month's last day), from
    the tables (`tables()`); the batch path's one add_months, in the kernel and below."""
    code = packed[day - first_day]
    month = (code >> 5) + months
    dom = code & 31
    length = month_len[month]
    return month_start[month] + (dom if dom < length else length) - 1


@nb.njit(cache=True)
def _add_months_each(days, months, first_day, packed, month_start, month_len):  # type: ignore[no-untyped-def]
    out = np.empty(len(days), dtype=np.int32)
    for i in range(len(days)):
        out[i] = add_months_day(days[i], months[i], first_day, packed, month_start, month_len)
    return out


def add_months(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """C-5: ``months`` months after each day, clamped to the month's last day (int32 days);
    equal to `mileage.rules.dates.add_months` on dates (tests/rules/test_dates.py)."""
    t = tables()
    days = np.asarray(days, dtype=np.int64)
    months = np.broadcast_to(np.asarray(months, dtype=np.int64), days.shape)
    return _add_months_each(
        days.ravel(), months.ravel(), np.int64(FIRST_DAY), t.packed, t.month_start, t.month_len
    ).reshape(days.shape)


def add_years(days: np.ndarray, years: int | np.ndarray) -> np.ndarray:
    """C-5: ``years`` years after each day (Feb 29 maps to Feb 28 in a common year)."""
    return add_months(days, np.multiply(years, 12))


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number (int32)."""
    t = tables()
    return np.take(t.year, np.take(t.packed, days - FIRST_DAY) >> 5)


def month_of(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(month index into the tables, month of year 1..12) of each day number."""
    t = tables()
    month = np.take(t.packed, days - FIRST_DAY) >> 5
    return month, np.take(t.month_of_year, month)
