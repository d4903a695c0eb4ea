"""Ranking periods: the week (Monday to Sunday) and the calendar month containing a day."""

from __future__ import annotations

import calendar
import datetime as dt

from .models import Period


def bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the `period` ("week" or "month") that contains `day`."""
    if period == Period.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)
