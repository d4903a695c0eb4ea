"""The city's schedule page (issue #14): every periodic job, its last and next run and result.

The jobs are the beat schedule (settings.CELERY_BEAT_SCHEDULE, copied into django-celery-beat's
PeriodicTask rows when beat starts) plus any the city added there; the last run time is
PeriodicTask.last_run_at (or the last recorded result's), the next is computed from the job's
schedule, and the last result is `core.JobResult` (written when the job ends) or "기록 없음".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from mileage.core.jobs import job_label
from mileage.core.models import JobResult


def _next_run(schedule: Any, last_run_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    remaining = schedule.remaining_estimate(last_run_at or now)
    return now + max(remaining, dt.timedelta(0))


def jobs(now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    stored = {row.name: row for row in PeriodicTask.objects.all()}
    results = {row.task: row for row in JobResult.objects.all()}
    entries: list[tuple[str, str, Any, dt.datetime | None, bool]] = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        row = stored.pop(name, None)
        if row is not None:
            entries.append((name, row.task, row.schedule, row.last_run_at, row.enabled))
        else:
            entries.append((name, entry["task"], entry["schedule"], None, True))
    for name, row in stored.items():  # jobs the city added in the database
        if row.task and not name.startswith("celery."):
            entries.append((name, row.task, row.schedule, row.last_run_at, row.enabled))
    rows = []
    for name, task, schedule, last_run_at, enabled in entries:
        result = results.get(task)
        last = last_run_at or (result.finished_at if result else None)
        rows.append(
            {
                "name": name,
                "label": job_label(task),
                "enabled": enabled,
                "last_run_at": last,
                "next_run_at": _next_run(schedule, last, now) if enabled else None,
                "result": result,
            }
        )
    return rows
