"""Runs fan out over Celery (issue #12): one task per chunk, the run finished once by the last,
every task safe to run twice, notices written with the postings (issue #13, finding 2), and a
broker that is down refuses the start with nothing created. Eager here (no broker); the same
tasks on a real Redis worker are in test_celery_runs.py."""

from __future__ import annotations

import pytest
from celery.signals import task_prerun

from mileage.core.models import OutboxMessage
from mileage.evaluations import services, tasks
from mileage.evaluations.models import EvaluationRun, Result, RunChunk, RunStatus
from mileage.ledger import notify
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Posting, Transaction
from tests.celery_support import celery_app, closed_port

from .conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_names():
    names: list[str] = []

    def seen(sender=None, **_):  # type: ignore[no-untyped-def]
        names.append(sender.name.rsplit(".", 1)[-1])

    task_prerun.connect(seen, weak=False)
    yield names
    task_prerun.disconnect(seen)


def _awards(run: EvaluationRun):
    return Result.objects.filter(run=run, mileage__gt=0)


def _notices():
    return OutboxMessage.objects.filter(kind="mileage-awarded")


def test_eco12_a_run_is_one_task_per_chunk_and_the_last_chunk_finishes_it(
    vehicles, manager, task_names
) -> None:
    run = services.start_run(manager, *WINDOW, chunk_size=7)
    assert run.chunks_total == 6
    assert tasks.evaluate_run.delay(run.pk).get() == RunStatus.EVALUATED
    assert task_names == ["evaluate_run"] + ["evaluate_chunk"] * 6
    run.refresh_from_db()
    assert run.status == RunStatus.EVALUATED
    assert not RunChunk.objects.filter(run=run, evaluated_at__isnull=True).exists()
    assert Result.objects.filter(run=run).count() == len(vehicles)

    finished = run.evaluated_at
    tasks.evaluate_chunk.delay(run.pk, 3)  # a task delivered twice: nothing changes
    tasks.evaluate_run.delay(run.pk)
    run.refresh_from_db()
    assert run.evaluated_at == finished and Result.objects.filter(run=run).count() == len(vehicles)

    services.sign_off(run, manager)
    del task_names[:]
    assert tasks.pay_run.delay(run.pk, PAY_ON.isoformat()).get() == 6
    assert task_names == ["pay_run"] + ["pay_chunk"] * 6
    run.refresh_from_db()
    assert run.status == RunStatus.PAID
    awards = _awards(run)
    assert Transaction.objects.filter(kind="award").count() == awards.count() > 0
    assert _notices().count() == awards.count()  # LEDGER-2: one notice per award, pending
    assert set(_notices().values_list("key", flat=True)) == {
        f"ledger:paid:{k}" for k in awards.values_list("key", flat=True)
    }
    assert_books_balance()


def test_the_notice_of_a_paid_chunk_reads_as_the_one_by_one_notice(vehicles, manager) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=15))
    services.sign_off(run, manager)
    services.pay_due(run, PAY_ON)
    columns = ("user_id", "channel", "kind", "subject", "body", "key")
    set_based = sorted(_notices().values_list(*columns))
    _notices().delete()
    from mileage.accounts.models import User

    for result in _awards(run):
        notify.award_paid(
            User.objects.get(pk=result.owner_id),
            amount=result.mileage,
            memo=f"에코마일리지 승용차 {result.cycle}주기 평가",  # names the programme (#14)
            key=result.key,
            paid_on=result.payment_on,
        )
    assert sorted(_notices().values_list(*columns)) == set_based


def test_a_replayed_pay_chunk_task_pays_and_tells_nobody_twice(vehicles, manager) -> None:
    """A task delivered again after its chunk committed (worker killed before the ack), also
    one that gets past the chunk's paid mark, writes no second posting and no second notice."""
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=10))
    services.sign_off(run, manager)
    tasks.pay_run.delay(run.pk, PAY_ON.isoformat())
    postings, notices = Posting.objects.count(), sorted(_notices().values_list("key", "pk"))
    assert len(notices) == _awards(run).count() > 0

    assert tasks.pay_chunk.delay(run.pk, 1, PAY_ON.isoformat()).get() == 0  # paid mark: skipped
    RunChunk.objects.filter(run=run).update(paid_at=None)  # as if the marks were lost
    for number in range(run.chunks_total):
        assert tasks.pay_chunk.delay(run.pk, number, PAY_ON.isoformat()).get() == 0
    assert Posting.objects.count() == postings
    assert sorted(_notices().values_list("key", "pk")) == notices
    run.refresh_from_db()
    assert run.status == RunStatus.PAID and not run.chunks.filter(paid_at__isnull=True).exists()
    assert_books_balance()


def test_a_chunk_whose_payment_fails_writes_no_notice(vehicles, manager, monkeypatch) -> None:
    """The notices are in the chunk's transaction: a payment that fails leaves neither."""
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=10))
    services.sign_off(run, manager)
    from mileage.ledger import bulk

    real = bulk.post_awards
    calls = {"n": 0}

    def fail_in_the_second_chunk(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        posted = real(*args, **kwargs)
        if calls["n"] == 2:
            raise RuntimeError("worker died after posting chunk 2, before its commit")
        return posted

    monkeypatch.setattr(bulk, "post_awards", fail_in_the_second_chunk)
    with pytest.raises(RuntimeError):
        services.pay_due(run, PAY_ON)
    paid_keys = set(Transaction.objects.filter(kind="award").values_list("key", flat=True))
    assert {k.removeprefix("ledger:paid:") for k in _notices().values_list("key", flat=True)} == (
        paid_keys
    )
    assert paid_keys == set(_awards(run).filter(chunk=0).values_list("key", flat=True))
    monkeypatch.setattr(bulk, "post_awards", real)
    services.pay_due(run, PAY_ON)  # resumed
    assert _notices().count() == _awards(run).count()
    assert len(set(_notices().values_list("key", flat=True))) == _awards(run).count()
    assert_books_balance()


def test_a_run_is_refused_when_the_broker_is_down_and_nothing_is_created(
    vehicles, manager, client
) -> None:
    client.force_login(manager)
    with celery_app(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False):
        response = client.post(
            "/evaluations/runs/",
            {"window_from": WINDOW[0].isoformat(), "window_to": WINDOW[1].isoformat()},
        )
    assert response.status_code == 503
    assert "작업 서버에 연결할 수 없어" in response.content.decode()
    assert not EvaluationRun.objects.exists() and not RunChunk.objects.exists()


def test_a_run_whose_queueing_fails_after_the_check_is_deleted_again(
    vehicles, manager, monkeypatch
) -> None:
    """The broker answered the check, then went down before the run was queued."""
    from mileage.evaluations.errors import BrokerUnavailable

    monkeypatch.setattr(tasks, "check_broker", lambda: None)
    with (
        celery_app(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False),
        pytest.raises(BrokerUnavailable) as refused,
    ):
        tasks.start_evaluation(manager, *WINDOW)
    assert refused.value.status == 503
    assert not EvaluationRun.objects.exists() and not RunChunk.objects.exists()


def test_a_payment_is_refused_when_the_broker_is_down_and_nobody_is_paid(
    vehicles, manager, client
) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    services.sign_off(run, manager)
    client.force_login(manager)
    with celery_app(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False):
        response = client.post(f"/evaluations/runs/{run.pk}/pay/")
    assert response.status_code == 503
    assert "작업 서버에 연결할 수 없어" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.SIGNED_OFF
    assert not Transaction.objects.exists() and not _notices().exists()
