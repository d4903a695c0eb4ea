"""Date arithmetic of the rulebook: C-2 day counts, C-5 years and months after, C-6 windows.

Pure functions on `datetime.date`; no clock is ever read here.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def days_between(start_on: date, end_on: date) -> int:
    """C-2: whole calendar days between two effective dates, `(b - a).days`."""
    return (end_on - start_on).days


def add_months(on: date, months: int) -> date:
    """C-5: "N months after D" — same day N months later, clamped to the month's last day."""
    index = on.year * 12 + (on.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if on.day <= 28:  # every month has these days
        return date(year, month, on.day)
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(on.day, last_day))


def add_years(on: date, years: int) -> date:
    """C-5: "N years after D" — same month and day; Feb 29 maps to Feb 28 in a common year (E-3)."""
    return add_months(on, 12 * years)


def one_year_after(on: date) -> date:
    """C-5: "a year after D" (2024-02-29 → 2025-02-28)."""
    return add_years(on, 1)


def window_last_day(first_on: date, days: int) -> date:
    """C-6: the last day of a window "within N days from D": D is day 1, so D + N - 1.

    [interp] C-6: civil-law reading where a period starting at 00:00 counts its first day;
    weekends and holidays count (seed 001 line 34).
    """
    if days < 1:
        raise ValueError("a window has at least one day")
    return first_on + timedelta(days=days - 1)


def in_window(on: date, first_on: date, days: int) -> bool:
    """C-6: whether `on` falls in the window of `days` days starting on `first_on`."""
    return first_on <= on <= window_last_day(first_on, days)


def month_day(year: int, text: str) -> date:
    """A "MM-DD" parameter value in a given year; "02-29" in a common year is Feb 28 (C-5)."""
    month, day = (int(part) for part in text.split("-"))
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last_day))
