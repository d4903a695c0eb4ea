"""Celery tasks for evaluation runs (eager in the embedded default; CELERY_BROKER_URL for workers).

A task only names the run: it re-reads which chunks are left, so a retried or re-queued task
resumes where the previous one stopped.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services
from .models import EvaluationRun


@shared_task(acks_late=True)
def evaluate_run(run_id: int) -> str:
    run = services.run_evaluation(EvaluationRun.objects.get(pk=run_id))
    return run.status


@shared_task(acks_late=True)
def pay_run(run_id: int, today: str | None = None) -> int:
    on = dt.date.fromisoformat(today) if today else None
    return services.pay_due(EvaluationRun.objects.get(pk=run_id), on)
