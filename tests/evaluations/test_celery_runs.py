"""Runs on real Celery workers (issue #12): `celery -A mileage.site worker` processes with two
pool processes on Redis and the PostgreSQL test database evaluate and pay every chunk; a worker
SIGKILLed in the middle of the evaluation and again in the middle of the payment, then a new
worker (the killed worker's task comes back after the visibility timeout), ends with the ledger
of an uninterrupted run and every award's notice once, delivered (issue #13, finding 2).

Needs CELERY_TEST_BROKER_URL (CI's PostgreSQL pass: redis://127.0.0.1:6379/15); the Redis
database it names is emptied before and after.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone

from benchmarks.synthetic_vehicles import load
from mileage.core.models import OutboxMessage
from mileage.core.tasks import deliver_notices
from mileage.evaluations import services, tasks
from mileage.evaluations.models import EvaluationRun, Result, RunChunk, RunStatus
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Posting, Transaction
from mileage.members.models import SmsMessage
from tests.celery_support import (
    celery_app,
    flush_broker,
    kill_worker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.factories import city_manager

from .conftest import PAY_ON, WINDOW

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_TEST_BROKER_URL"), reason="CELERY_TEST_BROKER_URL is not set"
    ),
]
REDELIVER_AFTER = 5  # seconds: the visibility timeout the workers of these tests use


@pytest.fixture
def broker():
    url = os.environ["CELERY_TEST_BROKER_URL"]
    flush_broker(url)
    with celery_app(broker_url=url, task_always_eager=False):
        yield url
    flush_broker(url)


def _status(run: EvaluationRun) -> str:
    return EvaluationRun.objects.values_list("status", flat=True).get(pk=run.pk)


def _done(run: EvaluationRun, field: str) -> int:
    return RunChunk.objects.filter(run=run, **{f"{field}__isnull": False}).count()


def _nothing_pending() -> bool:
    return not OutboxMessage.objects.filter(kind="mileage-awarded", status="pending").exists()


def _delivered_with_beat_ticks() -> bool:
    """`_nothing_pending`, but as production goes with beat: a killed worker may have died
    holding claimed notices, which the passes queued by later chunks skip until the lease runs
    out; beat's minute job (`deliver_notices`) then takes them. These tests run no beat, so
    once no live lease is left on a pending notice, queue the pass beat would."""
    pending = OutboxMessage.objects.filter(kind="mileage-awarded", status="pending")
    if not pending.exists():
        return True
    if not pending.filter(claimed_until__gt=timezone.now()).exists():
        deliver_notices.delay()
        time.sleep(1)
    return False


def _ledger_of(run: EvaluationRun) -> dict[str, list[tuple[int, int]]]:
    """Per award key: its legs as (account id, amount), sorted."""
    legs: dict[str, list[tuple[int, int]]] = {}
    keys = Result.objects.filter(run=run, mileage__gt=0).values_list("key", flat=True)
    for key, account, amount in Posting.objects.filter(transaction__key__in=list(keys)).values_list(
        "transaction__key", "account_id", "amount"
    ):
        legs.setdefault(key, []).append((account, amount))
    return {k: sorted(v) for k, v in legs.items()}


def _expected_ledger(results: list[tuple[str, int, int]], budget_id: int) -> dict:
    return {
        key: sorted([(ledger.account("wallet", user=owner).pk, mileage), (budget_id, -mileage)])
        for key, owner, mileage in results
        if mileage > 0
    }


def _notices() -> Counter[tuple[str, int]]:
    return Counter(
        OutboxMessage.objects.filter(kind="mileage-awarded").values_list("key", "user_id")
    )


def _reachable_by_sms() -> None:
    """The synthetic owners get a phone number: the workers (development settings) send the
    notices through the local SMS gateway, which records each one."""
    get_user_model().objects.update(phone="010-0000-0000")


def test_a_run_fans_out_over_a_real_worker_with_two_processes(broker) -> None:
    load(40, WINDOW[0], tag="fan")
    _reachable_by_sms()
    manager = city_manager()
    worker = start_worker(broker, concurrency=2)
    try:
        run = tasks.start_evaluation(manager, *WINDOW, chunk_size=5)
        assert run.chunks_total == 8 and _status(run) == RunStatus.EVALUATING  # queued
        wait_for(lambda: _status(run) == RunStatus.EVALUATED, "the evaluation", worker=worker)
        services.sign_off(run, manager)
        tasks.start_payment(run, PAY_ON)
        wait_for(lambda: _status(run) == RunStatus.PAID, "the payment", worker=worker)
        wait_for(_nothing_pending, "the notices' delivery", worker=worker)
    finally:
        stop_worker(worker)
    assert _done(run, "evaluated_at") == _done(run, "paid_at") == 8
    assert Result.objects.filter(run=run).count() == 40
    results = list(Result.objects.filter(run=run).values_list("key", "owner_id", "mileage"))
    budget = services.budget_of(run)
    assert _ledger_of(run) == _expected_ledger(results, budget.pk)
    assert ledger.balance(budget) == -sum(m for _, _, m in results)
    awards = {(f"ledger:paid:{k}", o) for k, o, m in results if m > 0}
    assert _notices() == Counter(awards)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert SmsMessage.objects.count() == len(awards)  # each notice sent once, by SMS
    assert_books_balance()


def _hold_chunk(run: EvaluationRun, number: int):  # type: ignore[no-untyped-def]
    """Another transaction locks a chunk's row, so the worker that takes it waits inside it."""
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
        cur.execute(
            "SELECT id FROM evaluations_runchunk WHERE run_id = %s AND number = %s FOR UPDATE",
            [run.pk, number],
        )
    return blocker, pid


def _someone_waits_on(pid: int) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid]
        )
        return cur.fetchone()[0] > 0


def test_a_worker_killed_mid_run_and_mid_payment_ends_with_an_uninterrupted_runs_ledger(
    broker,
) -> None:
    load(40, WINDOW[0], tag="crash")
    _reachable_by_sms()
    manager = city_manager()
    reference = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=5))
    expected = list(
        Result.objects.filter(run=reference)
        .order_by("key")
        .values_list("key", "owner_id", "mileage", "status", "payment_on")
    )
    EvaluationRun.objects.filter(pk=reference.pk).update(status=RunStatus.CANCELLED)

    run = services.start_run(manager, *WINDOW, chunk_size=5)
    blocker, pid = _hold_chunk(run, 3)
    first = start_worker(broker, name="first", visibility_timeout=REDELIVER_AFTER)
    try:
        tasks.evaluate_run.delay(run.pk)
        wait_for(
            lambda: _done(run, "evaluated_at") == 7 and _someone_waits_on(pid),
            "seven chunks done and a pool process waiting inside chunk 3",
            worker=first,
        )
    finally:
        kill_worker(first)  # SIGKILL: the main process and both pool processes
        blocker.rollback()
        blocker.close()
    assert _status(run) == RunStatus.EVALUATING and _done(run, "evaluated_at") == 7

    second = start_worker(broker, name="second", visibility_timeout=REDELIVER_AFTER)
    try:  # nothing queued again: the killed worker's chunk-3 task comes back by itself
        wait_for(
            lambda: _status(run) == RunStatus.EVALUATED, "the redelivered chunk", worker=second
        )
        got = list(
            Result.objects.filter(run=run)
            .order_by("key")
            .values_list("key", "owner_id", "mileage", "status", "payment_on")
        )
        assert got == expected

        services.sign_off(run, manager)
        blocker, pid = _hold_chunk(run, 5)
        tasks.start_payment(run, PAY_ON)
        wait_for(
            lambda: _done(run, "paid_at") == 7 and _someone_waits_on(pid),
            "seven chunks paid and a pool process waiting inside chunk 5",
            worker=second,
        )
    finally:
        kill_worker(second)
        blocker.rollback()
        blocker.close()
    assert _status(run) == RunStatus.SIGNED_OFF

    third = start_worker(broker, name="third", visibility_timeout=REDELIVER_AFTER)
    try:
        wait_for(lambda: _status(run) == RunStatus.PAID, "the redelivered payment", worker=third)
        wait_for(_delivered_with_beat_ticks, "the notices' delivery", worker=third)
    finally:
        stop_worker(third)

    results = [(k, o, m) for k, o, m, _, _ in expected]
    budget = services.budget_of(run)
    assert _ledger_of(run) == _expected_ledger(results, budget.pk)  # per key: both legs, once
    assert Transaction.objects.filter(kind="award").count() == sum(m > 0 for _, _, m in results)
    assert ledger.balance(budget) == -sum(m for _, _, m in results)
    for _, owner, mileage in results:
        assert ledger.balance(ledger.account("wallet", user=owner)) == mileage
    awards = Counter((f"ledger:paid:{k}", o) for k, o, m in results if m > 0)
    assert _notices() == awards  # each award's notice once
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert SmsMessage.objects.count() == len(awards)  # each notice sent once, by SMS
    assert_books_balance()


def test_delivery_passes_have_their_own_queue_so_a_run_never_waits_behind_one(broker) -> None:
    """Issue #12: `deliver_notices` goes to the `notices` queue on the real broker, a run's
    chunk task to `celery`; a worker started with `-Q celery` never takes a delivery pass."""
    import redis

    queues = redis.Redis.from_url(broker)
    deliver_notices.delay()
    tasks.evaluate_run.delay(0)
    assert queues.llen("notices") == 1
    assert queues.llen("celery") == 1
