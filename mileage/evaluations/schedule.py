"""The scheduler's runs (issue #14): which window the ECO-12 and ECO-15 jobs create a run for.

    eco12_window(today)      -> the upload period evaluated this month, once it has ended
    seasonal_window(today)   -> the season's end-reading window, evaluated in May (ECO-15)

Beat calls `tasks.schedule_eco12_run` on the 1st of every month and `tasks.schedule_seasonal_run`
on 1 May (settings.CELERY_BEAT_SCHEDULE). The calendar is the rules engine's (`upload_periods`,
`reading_windows`), not recoded here. A created run is evaluated and stops at the preview: only
the city's sign-off lets it pay. Each has a schedule key, unique over all runs, so a job run
twice (or again after the city cancelled its run) creates nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from mileage.core.parameters import current_parameters
from mileage.rules.dates import month_day
from mileage.rules.eco.payment import upload_periods
from mileage.rules.eco.seasonal import reading_windows, season_days

from .models import Programme


def eco12_window(today: dt.date) -> tuple[dt.date, dt.date] | None:
    """ECO-12: the upload period whose evaluation month is `today`'s (its payment month: odd
    months, Mar–Apr in June), if it has ended before `today`; None in a month with no run (May,
    the seasonal run's, and the even months but June)."""
    params = current_parameters()
    for year in (today.year - 1, today.year):
        for first, last, pay_on in upload_periods(year, params):
            if (pay_on.year, pay_on.month) == (today.year, today.month) and last < today:
                return first, last
    return None


def seasonal_window(today: dt.date) -> tuple[dt.date, dt.date] | None:
    """ECO-15/17: the uploads of the season that ended this year, evaluated in May: from the
    first day of its end-reading window (Mar 16) to the end of the month before the payment
    month (Apr 30, a reading taken by Apr 15 may be uploaded later), once that has passed."""
    params = current_parameters()
    first_year = today.year - 1
    opened, _, _ = season_days(first_year, params)
    pay_on = month_day(today.year, params.at("eco.seasonal.payment_day", opened))
    window = (
        reading_windows(first_year, params)["season-end"][0],
        pay_on.replace(day=1) - dt.timedelta(days=1),
    )
    return window if window[1] < today else None


def schedule_key(programme: str, window: tuple[dt.date, dt.date]) -> str:
    clause = "eco-15" if programme == Programme.ECO_SEASONAL else "eco-12"
    return f"{clause}:{window[0].isoformat()}:{window[1].isoformat()}"
