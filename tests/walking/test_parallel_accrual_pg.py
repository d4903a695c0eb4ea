"""WALK-3 accrual fanned out over Celery on PostgreSQL: a chunk task delivered twice at the same
moment pays once and counts once, and the day's chunks paid by a real worker on Redis with two
processes pay every member-day exactly once (each chunk also delivered a second time)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import current_app
from django.db import connection, connections
from django.utils import timezone

from mileage.accounts.models import User
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.site.celery import make_app
from mileage.walking.models import AccrualChunk, AccrualRun, DayAccrual
from mileage.walking.services.accrual import accrue_chunk, start_accrual
from mileage.walking.services.feed import upsert_reports
from mileage.walking.tasks import accrue_day
from tests import factories
from tests.platform.prodenv import ROOT, environment

# Plain transactional (the workers must see committed rows). Its file name sorts after
# test_concurrency_pg.py on purpose: a plain transactional test's flush re-creates content types,
# which breaks a serialized-rollback test that runs after it (they would be restored twice).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _day(days_ago: int) -> dt.date:
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return on - dt.timedelta(days=1) if on.day == 11 else on  # no bonus day in these tests


def _walkers(prefix: str, on: dt.date, count: int) -> list[User]:
    source = factories.partner("walking_app")
    members = [User.objects.create_user(username=f"{prefix}-{n}") for n in range(count)]
    upsert_reports(
        source.pk, [(m.pk, on, 1_000 * (n + 1)) for n, m in enumerate(members)], timezone.now()
    )
    return members


def _wallets(members: list[User]) -> list[int]:
    return [ledger.balance(ledger.account("wallet", user=m)) for m in members]


def test_walk3_a_chunk_delivered_twice_at_once_is_paid_and_counted_once() -> None:
    on = _day(12)
    members = _walkers("twin-walker", on, 3)
    run = start_accrual(on, chunk=2)
    gate = threading.Barrier(2)
    outcomes: list[bool] = []

    def deliver() -> None:
        try:
            gate.wait()
            outcomes.append(accrue_chunk(run.pk, 0, worker=threading.current_thread().name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]  # the second waited for the first, then saw it done
    assert accrue_chunk(run.pk, 1) is True
    run.refresh_from_db()
    assert (run.chunks_done, run.member_days, run.mileage_total) == (2, 3, 60)
    assert run.finished_at is not None
    assert _wallets(members) == [10, 20, 30]
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 3
    assert_books_balance()


def _test_database_url() -> str:
    """The URL of the database this test runs in (pytest's test_… database), for the worker."""
    s = connection.settings_dict
    user = quote(s["USER"] or "")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(s['NAME'])}"


def _stop(worker: subprocess.Popen, log: Path) -> str:
    if worker.poll() is None:
        os.killpg(worker.pid, 15)  # warm shutdown
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait(10)
    return log.read_text(errors="replace")


@pytest.mark.skipif(
    not os.environ.get("CELERY_TEST_BROKER_URL"), reason="CELERY_TEST_BROKER_URL is not set"
)
def test_walk3_accrual_on_a_real_redis_worker_with_two_processes_pays_each_member_day_once(
    tmp_path: Path,
) -> None:
    broker = os.environ["CELERY_TEST_BROKER_URL"]
    queue = f"walk-accrual-test-{uuid.uuid4().hex[:8]}"  # this test's worker takes only these
    on = _day(13)
    members = _walkers("worker-walker", on, 9)
    env = environment(
        tmp_path,
        MILEAGE_ENV="development",
        DATABASE_URL=_test_database_url(),
        CELERY_BROKER_URL=broker,
        CELERY_RESULT_BACKEND=broker,  # the test waits for the repeated deliveries' results
    )
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mileage.site", "worker", "-l", "info",
             "--pool", "prefork", "--concurrency", "2", "--queues", queue, "-n", f"{queue}@%h",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    previous = current_app._get_current_object()
    client = make_app(
        broker_url=broker, result_backend=broker, task_always_eager=False, task_default_queue=queue
    )
    client.set_current()  # accrue_day's group goes through the broker to the worker
    try:
        run = accrue_day(on, chunk=2)  # five chunk tasks
        assert run.chunks_total == 5 and run.finished_at is None
        # Each chunk delivered a second time, as when a worker dies before acknowledging it.
        again = [
            client.send_task("walking.accrue_chunk", args=(run.pk, n), queue=queue)
            for n in range(run.chunks_total)
        ]
        for result in again:
            result.get(timeout=300)
        deadline = time.monotonic() + 300  # a safety net for a stuck worker, not a speed check
        while AccrualRun.objects.get(pk=run.pk).finished_at is None:
            assert time.monotonic() < deadline and worker.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        previous.set_current()
        output = _stop(worker, log)
    run.refresh_from_db()
    assert (run.chunks_done, run.member_days, run.mileage_total, run.skipped) == (5, 9, 450, 0)
    assert _wallets(members) == [10 * (n + 1) for n in range(9)]
    assert DayAccrual.objects.filter(on=on).count() == 9
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 9
    workers = set(AccrualChunk.objects.filter(run=run).values_list("worker", flat=True))
    assert all(w.startswith(f"{queue}@") for w in workers), (workers, output)  # paid there
    assert f"{os.getpid()}" not in {w.rsplit(":", 1)[1] for w in workers}
    assert "ready." in output
    assert_books_balance()
