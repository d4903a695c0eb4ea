"""ECO-12: the payment calendar (마일리지 지급 일정)."""

from __future__ import annotations

from datetime import date, timedelta

from mileage.rules.dates import month_day
from mileage.rules.params import Parameters, default_parameters

CALENDAR = "eco.payment_calendar"


def payment_on(uploaded_on: date, params: Parameters | None = None) -> date:
    """ECO-12: payment date (지급일) for an annual reading uploaded on `uploaded_on`.

    Jan 1–Feb 28/29 → Mar 20; Mar 1–Apr 30 → Jun 20; May 1–Jun 30 → Jul 20; Jul 1–Aug 31 →
    Sep 20; Sep 1–Oct 31 → Nov 10; Nov 1–Dec 31 → Jan 20 of the next year. Each period runs
    from its first month-day to the day before the next period's.
    """
    params = params or default_parameters()
    return params.derived(("payment_on", uploaded_on), _payment_on, uploaded_on, params)


def _payment_on(uploaded_on: date, params: Parameters) -> date:
    rows = params.at(CALENDAR, uploaded_on)
    chosen = None
    for row in rows:
        if month_day(uploaded_on.year, row["uploads_from"]) <= uploaded_on:
            chosen = row
    if chosen is None:  # before the first period of the year: the last period of last year
        chosen = rows[-1]
        year = uploaded_on.year - 1
    else:
        year = uploaded_on.year
    return month_day(year + (1 if chosen["next_year"] else 0), chosen["pay_on"])


def upload_periods(year: int, params: Parameters | None = None) -> list[tuple[date, date, date]]:
    """ECO-12: the upload periods starting in `year`, as (first day, last day, payment date).

    Each period runs from its first month-day to the day before the next period's (the last one
    to Dec 31); the payment date is `payment_on` of its first day. The evaluation of a period
    runs in its payment month: odd months, except Mar–Apr's in June (May is the seasonal run's)."""
    params = params or default_parameters()
    rows = params.at(CALENDAR, date(year, 1, 1))
    starts = [month_day(year, row["uploads_from"]) for row in rows]
    ends = [nxt - timedelta(days=1) for nxt in starts[1:]] + [date(year, 12, 31)]
    return [
        (first, last, payment_on(first, params)) for first, last in zip(starts, ends, strict=True)
    ]
