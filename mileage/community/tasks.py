"""Celery tasks of the walking community: ranking refresh and team challenge settlement.

Beat (`mileage/site/settings.py`): `community.refresh_rankings` every 30 minutes for the periods
containing today (`periods="current"`, reading only the days not yet final), once at 00:30 for a
week or month that ended yesterday (`periods="previous"`: the accrual at 00:10 has finished), the
same task with `full=True` nightly (03:10) recounting whole periods, both kinds, and
`community.settle_team_challenges` daily after the accrual. All are idempotent.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .services.rankings import refresh_current
from .services.team import settle_team_challenges


@shared_task(name="community.refresh_rankings", acks_late=True)
def refresh_rankings_task(
    today: str | None = None, full: bool = False, periods: str = "all"
) -> int:
    """Rewrite this week's and this month's rankings (and yesterday's); returns walkers ranked.
    `full=True` (nightly) recounts the periods' final days too; `periods` ("current",
    "previous", "all") as in `refresh_current`."""
    day = dt.date.fromisoformat(today) if today else None
    rows = refresh_current(day, full=full, periods=periods)
    return sum(r.walkers for r in rows)


@shared_task(name="community.settle_team_challenges", acks_late=True)
def settle_team_challenges_task(today: str | None = None) -> int:
    """Reward the members of every crew that reached an ended team challenge (once each)."""
    return settle_team_challenges(dt.date.fromisoformat(today) if today else None)
