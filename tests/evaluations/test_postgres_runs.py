"""PostgreSQL only: two runs started at once (one refused), and a worker process killed in the
middle of a run or of its payment, then resumed, gives the same results and ledger as an
uninterrupted run, and every award's notice once (issue #13, finding 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from benchmarks.synthetic_vehicles import load
from mileage.core.models import OutboxMessage
from mileage.evaluations import services
from mileage.evaluations.errors import RunAlreadyExists
from mileage.evaluations.models import EvaluationRun, Result, RunChunk, RunStatus
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from tests.factories import city_manager

from .conftest import PAY_ON, WINDOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent.parent


def _snapshot(run: EvaluationRun) -> list[tuple]:
    return list(
        Result.objects.filter(run=run)
        .order_by("key")
        .values_list("key", "status", "kind", "mileage", "payment_on", "reasons")
    )


def test_eco12_two_runs_started_at_once_for_one_window_one_is_refused() -> None:
    load(10, WINDOW[0], tag="race")
    manager = city_manager()
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def start() -> None:
        barrier.wait()
        try:
            outcomes.append(services.start_run(manager, *WINDOW))
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["EvaluationRun", "RunAlreadyExists"]
    assert EvaluationRun.objects.count() == 1
    assert isinstance(
        next(o for o in outcomes if not isinstance(o, EvaluationRun)), RunAlreadyExists
    )
    assert_books_balance()


def test_worker_killed_mid_run_then_resumed_matches_an_uninterrupted_run() -> None:
    load(30, WINDOW[0], tag="kill")
    manager = city_manager()
    first = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=5))
    expected = _snapshot(first)
    EvaluationRun.objects.filter(pk=first.pk).update(status=RunStatus.CANCELLED)

    second = services.start_run(manager, *WINDOW, chunk_size=5)
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    blocker = connections.create_connection("default")  # holds chunk 3 so the worker stops in it
    with blocker.cursor() as cur:
        blocker.set_autocommit(False)
        cur.execute(
            "SELECT id FROM evaluations_runchunk WHERE run_id = %s AND number = 3 FOR UPDATE",
            [second.pk],
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "evaluate", "resume", str(second.pk)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while RunChunk.objects.filter(run=second, evaluated_at__isnull=False).count() < 3:
            assert worker.poll() is None and time.monotonic() < deadline, "worker did not get going"
            time.sleep(0.1)
        worker.kill()  # SIGKILL while it waits inside chunk 3's transaction
        worker.wait()
        blocker.rollback()
    blocker.close()
    assert RunChunk.objects.filter(run=second, evaluated_at__isnull=False).count() == 3

    services.run_evaluation(second)  # resume in this process
    assert _snapshot(second) == expected
    services.sign_off(second, manager)
    paid = services.pay_due(second, PAY_ON)
    assert paid == Result.objects.filter(run=second, mileage__gt=0).count()
    for owner, mileage in Result.objects.filter(run=second).values_list("owner_id", "mileage"):
        assert ledger.balance(ledger.account("wallet", user=owner)) == mileage
    _assert_one_notice_per_award(second)
    assert_books_balance()


def _assert_one_notice_per_award(run: EvaluationRun) -> None:
    awards = Result.objects.filter(run=run, mileage__gt=0)
    notices = OutboxMessage.objects.filter(kind="mileage-awarded")
    keys = list(notices.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == awards.count() > 0
    assert set(keys) == {f"ledger:paid:{k}" for k in awards.values_list("key", flat=True)}
    assert dict(notices.values_list("key", "user_id")) == {
        f"ledger:paid:{k}": owner for k, owner in awards.values_list("key", "owner_id")
    }


def test_worker_killed_mid_payment_then_resumed_pays_and_tells_each_award_once() -> None:
    """Issue #13 finding 2: the payment process is SIGKILLed inside a chunk, held there by another
    transaction that holds one of the chunk's notice keys. Before the outbox the notices were
    written after the chunk's commit, so the kill fell between the two and the resumed payment,
    which skips paid chunks, never wrote them; now they commit with the postings or not at all."""
    load(30, WINDOW[0], tag="paykill")
    manager = city_manager()
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=5))
    services.sign_off(run, manager)
    awards = Result.objects.filter(run=run, mileage__gt=0, payment_on__lte=PAY_ON)
    held = awards.filter(chunk=max(awards.values_list("chunk", flat=True))).order_by("key").first()
    assert held is not None and held.chunk > 0

    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        blocker_pid = cur.fetchone()[0]
        cur.execute(  # uncommitted: whoever writes this key waits for this transaction
            "INSERT INTO core_outboxmessage (user_id, channel, kind, subject, body, key, "
            "created_at, status, attempts, last_error, sent_channels) "
            "VALUES (%s, 'email', 'held', '', '', %s, now(), 'pending', 0, '', '')",
            [held.owner_id, f"ledger:paid:{held.key}"],
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "evaluate", "pay", str(run.pk), "--today", str(PAY_ON)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": _url()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not _waits_on(blocker_pid):
            assert worker.poll() is None and time.monotonic() < deadline, "worker did not get there"
            time.sleep(0.1)
        worker.kill()  # SIGKILL while it waits on the held notice key
        worker.wait()
        blocker.rollback()
    blocker.close()
    paid = RunChunk.objects.filter(run=run, paid_at__isnull=False).values_list("number")
    assert paid.exists()
    # every chunk the killed process paid has its notices; the one it died in has neither
    paid_keys = set(awards.filter(chunk__in=paid).values_list("key", flat=True))
    noticed = OutboxMessage.objects.filter(kind="mileage-awarded").values_list("key", flat=True)
    assert {k.removeprefix("ledger:paid:") for k in noticed} == paid_keys

    services.pay_due(run, PAY_ON)  # resume in this process
    run.refresh_from_db()
    assert run.status == RunStatus.PAID
    for owner, mileage in Result.objects.filter(run=run).values_list("owner_id", "mileage"):
        assert ledger.balance(ledger.account("wallet", user=owner)) == mileage
    _assert_one_notice_per_award(run)
    assert_books_balance()


def _url() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _waits_on(pid: int) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid]
        )
        return cur.fetchone()[0] > 0
