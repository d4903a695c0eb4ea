"""Celery tasks for evaluation runs: one task per chunk, fanned out over the workers.

    evaluate_run(run_id)        -> a group of evaluate_chunk(run_id, n), one per chunk left
    pay_run(run_id, today)      -> a group of pay_chunk(run_id, n, today), one per unpaid chunk

Each chunk task commits its chunk (results; or postings, lots and notices) and then, in a
second short transaction under the run row's lock, marks the run evaluated / paid if no chunk
is left: the last chunk to commit finishes the run, exactly once, with no result backend (a
chord would need one). Every task is safe to run twice: acks late (a task of a killed worker is
delivered again), the chunk row's lock and done-mark, and the ledger and notice keys. A task
only names the run, so `evaluate_run` / `pay_run` again (`manage.py evaluate resume`, or a
second click) queues just the chunks still left.

Without a broker (the embedded default) the same tasks run eagerly, in this process.
`start_evaluation` / `start_payment` are the web pages' entry points: they refuse with
`BrokerUnavailable` (nothing created) when a broker is configured but cannot be reached.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import current_app, group, shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from mileage.core.notify import deliver_soon

from . import schedule, services
from .errors import BrokerUnavailable, RunAlreadyExists, RunOverlaps
from .models import EvaluationRun, Programme, RunStatus

log = logging.getLogger(__name__)
BROKER_ERRORS = (OperationalError, OSError)  # kombu's, and a socket's


@shared_task(acks_late=True)
def evaluate_run(run_id: int) -> str:
    """Queue one `evaluate_chunk` per chunk not yet evaluated; returns the run's status."""
    run = EvaluationRun.objects.get(pk=run_id)
    todo = services.chunks_to_evaluate(run) if run.status == RunStatus.EVALUATING else []
    if todo:
        group(evaluate_chunk.si(run_id, number) for number in todo).apply_async()
    else:
        services.finish_evaluation(run)
    run.refresh_from_db()
    return run.status


@shared_task(acks_late=True)
def evaluate_chunk(run_id: int, number: int) -> int:
    """Evaluate one chunk (skipped when done or the run was cancelled), then finish the run if
    it was the last; returns the chunk's number of results."""
    run = EvaluationRun.objects.get(pk=run_id)
    if run.status != RunStatus.EVALUATING:
        return 0
    results = services.evaluate_chunk(run, number)
    services.finish_evaluation(run)
    return results


@shared_task(acks_late=True)
def pay_run(run_id: int, today: str | None = None) -> int:
    """ECO-12: queue one `pay_chunk` per unpaid chunk, all with the same payment day (`today`,
    YYYY-MM-DD, default the local date now); returns how many chunk tasks were queued."""
    run = EvaluationRun.objects.get(pk=run_id)
    services.check_payable(run)
    on = today or timezone.localdate().isoformat()
    services.budget_of(run)  # created once here, not by every chunk task at once
    todo = services.chunks_to_pay(run)
    if todo:
        group(pay_chunk.si(run_id, number, on) for number in todo).apply_async()
    else:
        services.finish_payment(run)
    return len(todo)


@shared_task(acks_late=True)
def pay_chunk(run_id: int, number: int, today: str) -> int:
    """Pay one chunk with its notices (one transaction), finish the run if it was the last, and
    ask for the notices' delivery; returns how many awards were posted now."""
    run = EvaluationRun.objects.get(pk=run_id)
    services.check_payable(run)
    posted = services.pay_chunk(run, number, services.budget_of(run), dt.date.fromisoformat(today))
    services.finish_payment(run)
    deliver_soon()
    return posted


def check_broker() -> None:
    """With a broker configured, refuse (BrokerUnavailable) unless it answers now."""
    app = current_app
    if app.conf.task_always_eager:
        return
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0.5, timeout=5)
    except BROKER_ERRORS as error:
        log.warning("broker unreachable: %r", error)
        raise BrokerUnavailable() from None


def start_evaluation(
    manager: Any,
    window_from: dt.date,
    window_to: dt.date,
    *,
    programme: str = Programme.ECO_CAR,
    chunk_size: int = 5000,
    today: dt.date | None = None,
    schedule_key: str | None = None,
) -> EvaluationRun:
    """Start a run and hand it to the workers (eagerly without a broker).

    A broker that is configured but down refuses the start with `BrokerUnavailable` and leaves
    no run behind: it is asked before the run is created, and if it fails while the run is
    queued the just-created run (with its chunks, nothing evaluated yet) is deleted again."""
    check_broker()
    run = services.start_run(
        manager,
        window_from,
        window_to,
        chunk_size=chunk_size,
        programme=programme,
        today=today,
        schedule_key=schedule_key,
    )
    if current_app.conf.task_always_eager:
        evaluate_run.delay(run.pk)  # runs here and now; its errors are the evaluation's own
        return run
    try:
        evaluate_run.delay(run.pk)
    except BROKER_ERRORS as error:
        log.warning("run %s not queued, deleted again: %r", run.pk, error)
        services.discard_run(run)
        raise BrokerUnavailable() from None
    return run


def start_payment(run: EvaluationRun, today: dt.date | None = None) -> None:
    """Queue the payment of a signed-off run (refused as `start_evaluation` when the broker is
    down; nothing is paid then)."""
    run.refresh_from_db(fields=["status"])
    services.check_payable(run)
    check_broker()
    on = today.isoformat() if today else None
    if current_app.conf.task_always_eager:
        pay_run.delay(run.pk, on)
        return
    try:
        pay_run.delay(run.pk, on)
    except BROKER_ERRORS as error:
        log.warning("payment of run %s not queued: %r", run.pk, error)
        raise BrokerUnavailable() from None


def _scheduled_run(programme: str, window: tuple[dt.date, dt.date] | None, today: dt.date) -> str:
    """Create and evaluate the scheduler's run over `window` (stops at the preview); a second
    call for the same window, or one overlapping a live run, creates nothing. Returns what
    happened, in Korean, for the schedule page."""
    if window is None:
        return "이번 달에 만들 평가가 없습니다."
    key = schedule.schedule_key(programme, window)
    if EvaluationRun.objects.filter(schedule_key=key).exists():
        return f"이미 만든 평가가 있습니다 ({key})."
    try:
        run = start_evaluation(
            None, window[0], window[1], programme=programme, today=today, schedule_key=key
        )
    except RunOverlaps as refused:  # a live run the city started covers part of it
        return refused.message
    except RunAlreadyExists:  # the same job at the same time, elsewhere
        return f"이미 만든 평가가 있습니다 ({key})."
    return f"{services.describe(run)} 생성, 승인 대기"


@shared_task(acks_late=True)
def schedule_eco12_run(today: str | None = None) -> str:
    """ECO-12 (beat, the 1st of each month): the run of the upload period just ended."""
    on = dt.date.fromisoformat(today) if today else timezone.localdate()
    return _scheduled_run(Programme.ECO_CAR, schedule.eco12_window(on), on)


@shared_task(acks_late=True)
def schedule_seasonal_run(today: str | None = None) -> str:
    """ECO-15 (beat, 1 May): the seasonal run over the season's end readings."""
    on = dt.date.fromisoformat(today) if today else timezone.localdate()
    return _scheduled_run(Programme.ECO_SEASONAL, schedule.seasonal_window(on), on)
