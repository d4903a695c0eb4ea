"""Celery tasks: the daily walking accrual (WALK-3) and challenge settlement (WALK-5).

Schedule `walking.accrue_day` once a day after midnight (Asia/Seoul) with celery beat or cron
(`manage.py walk_accrue`); without a broker the task runs in-process (eager).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.utils import timezone

from .services.accrual import accrue_day
from .services.challenges import settle_challenges


def run_daily(on: dt.date | None = None, *, started_by: str = "scheduler") -> dict[str, Any]:
    """Accrue the day (yesterday by default) and settle challenges; a summary for logs."""
    day = on or timezone.localdate() - dt.timedelta(days=1)
    run = accrue_day(day, started_by=started_by)
    pledges = settle_challenges()
    return {
        "date": day.isoformat(),
        "run": run.pk,
        "member_days": run.member_days,
        "skipped": run.skipped,
        "mileage": run.mileage_total,
        "challenge_pledges": pledges,
    }


@shared_task(name="walking.accrue_day", acks_late=True)
def accrue_day_task(on: str | None = None) -> dict[str, Any]:
    return run_daily(dt.date.fromisoformat(on) if on else None, started_by="celery")


@shared_task(name="walking.settle_challenges", acks_late=True)
def settle_challenges_task(on: str | None = None) -> int:
    """WALK-5: pay every reached pledge not paid yet (idempotent: key per challenge and member)."""
    return settle_challenges(dt.date.fromisoformat(on) if on else None)
