"""Celery tasks: the daily walking accrual (WALK-3) and challenge settlement (WALK-5).

Schedule `walking.accrue_day` once a day after midnight (Asia/Seoul) with celery beat or cron
(`manage.py walk_accrue`). It opens the day's run and enqueues one `walking.accrue_chunk` task
per chunk of members (a Celery group), so every worker process helps; the chunk that commits
last marks the run finished. Without a broker the chunks run in-process (eager), one after
another, before `accrue_day` returns.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from celery import group, shared_task
from django.db import transaction
from django.utils import timezone

from .models import AccrualRun
from .services.accrual import CHUNK, accrue_chunk, start_accrual
from .services.campaigns import reward_campaigns
from .services.challenges import settle_challenges
from .services.topups import top_up_late_days


def accrue_day(on: dt.date, *, started_by: str = "scheduler", chunk: int = CHUNK) -> AccrualRun:
    """WALK-3: pay every unpaid member-day of `on`, one Celery task per chunk of members.

    Returns the run as it stands: finished when the chunks ran eagerly (no broker); with a
    broker the workers finish it (its `finished_at` is set by the last chunk). Safe to run again
    (pays nobody twice). Called inside a database transaction, the chunks are enqueued when it
    commits, so a worker never looks for a run it cannot see yet.
    """
    run = start_accrual(on, started_by=started_by, chunk=chunk)
    if run.chunks_total:
        chunks = group(accrue_chunk_task.si(run.pk, n) for n in range(run.chunks_total))
        if accrue_chunk_task.app.conf.task_always_eager:
            chunks.apply_async()
        else:
            transaction.on_commit(chunks.apply_async)
        run.refresh_from_db()
    return run


@shared_task(name="walking.accrue_chunk", bind=True, acks_late=True, reject_on_worker_lost=True)
def accrue_chunk_task(self: Any, run_id: int, number: int) -> bool:
    """One chunk of a day's accrual; a second delivery finds it done and returns False.

    Acknowledged late and given back to the broker if its worker process dies (SIGKILL, out of
    memory): the chunk's transaction rolled back with it, so the next delivery pays the chunk.
    """
    worker = f"{self.request.hostname or 'in-process'}:{os.getpid()}"
    return accrue_chunk(run_id, number, worker=worker)


def run_daily(on: dt.date | None = None, *, started_by: str = "scheduler") -> dict[str, Any]:
    """Accrue the day (yesterday by default), top up late totals of the window before it, and
    settle challenges; a summary for logs."""
    day = on or timezone.localdate() - dt.timedelta(days=1)
    run = accrue_day(day, started_by=started_by)
    topups = top_up_late_days(day + dt.timedelta(days=1), started_by=started_by)
    pledges = settle_challenges()
    return {
        "date": day.isoformat(),
        "run": run.pk,
        "chunks": run.chunks_total,
        "finished": run.finished_at is not None,
        "member_days": run.member_days,
        "skipped": run.skipped,
        "mileage": run.mileage_total,
        "topup_member_days": topups.member_days,
        "topup_mileage": topups.mileage_total,
        "challenge_pledges": pledges,
    }


@shared_task(name="walking.accrue_day", acks_late=True)
def accrue_day_task(on: str | None = None) -> dict[str, Any]:
    return run_daily(dt.date.fromisoformat(on) if on else None, started_by="celery")


@shared_task(name="walking.settle_challenges", acks_late=True)
def settle_challenges_task(on: str | None = None) -> int:
    """WALK-5: pay every reached pledge not paid yet (idempotent: key per challenge and member)."""
    return settle_challenges(dt.date.fromisoformat(on) if on else None)


@shared_task(name="walking.top_up_late_days", acks_late=True)
def top_up_late_days_task(today: str | None = None) -> dict[str, Any]:
    """WALK-1/WALK-3 [interp]: pay the difference of late, larger totals in the late-sync window
    (idempotent: a rerun or a second pass at once pays nothing twice)."""
    run = top_up_late_days(dt.date.fromisoformat(today) if today else None, started_by="celery")
    return {"run": run.pk, "member_days": run.member_days, "mileage": run.mileage_total}


@shared_task(name="walking.ensure_partitions", acks_late=True)
def ensure_partitions_task(today: str | None = None) -> str:
    """Daily (beat): the step reports' month partitions for this month and the next ones exist
    before any row needs them; idempotent, nothing on SQLite. Returns what it did, in Korean."""
    from .partitions import ensure_partitions

    created = ensure_partitions(dt.date.fromisoformat(today) if today else None)
    return f"새 파티션 {len(created)}개" + (f": {', '.join(created)}" if created else "")


@shared_task(name="walking.reward_campaigns", acks_late=True)
def reward_campaigns_task(on: str | None = None) -> dict[str, int]:
    """[interp] WALK-5: yesterday's (or `on`'s) walking-campaign rewards; idempotent (a reward
    is paid once per campaign, member and day), so a repeated delivery pays nobody twice."""
    return reward_campaigns(dt.date.fromisoformat(on) if on else None)
