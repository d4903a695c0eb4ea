"""ECO-5..12 through an annual run: batch results equal the scalar engine; paid once (LEDGER-1)."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.evaluations import eco_car, services
from mileage.evaluations.errors import RunAlreadyExists, RunNotReady, RunNotSignedOff
from mileage.evaluations.models import Result, RunStatus
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.readings.queries import approved_histories
from mileage.rules import evaluate

from .conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db


def _snapshot(run) -> list[tuple]:
    return list(
        Result.objects.filter(run=run)
        .order_by("key")
        .values_list("key", "status", "kind", "mileage", "payment_on", "reasons", "driven_km")
    )


def test_eco12_annual_run_matches_the_scalar_engine_for_every_cycle(vehicles, manager) -> None:
    run = services.start_run(manager, *WINDOW, chunk_size=15)
    assert run.chunks_total == 3
    run = services.run_evaluation(run)
    assert run.status == RunStatus.EVALUATED
    stored = {r.vehicle_id: r for r in Result.objects.filter(run=run)}
    assert len(stored) == len(vehicles)
    for history in approved_histories(vehicles):
        expected = evaluate(history.case())["cycles"][-1]
        got = stored[history.vehicle_id]
        assert (got.status, got.kind or None, got.mileage, got.reasons.split(",")) == (
            expected["status"],
            expected["kind"],
            expected["mileage"],
            expected["reasons"],
        ), history.vehicle_id
        assert got.driven_km == expected["driven_km"]
        assert (got.payment_on.isoformat() if got.payment_on else None) == expected["payment_on"]
    assert_books_balance()


def test_eco12_awards_are_paid_on_the_payment_date_and_only_once(vehicles, manager) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=15))
    with pytest.raises(RunNotSignedOff):
        services.pay_due(run, PAY_ON)
    services.sign_off(run, manager)
    assert services.pay_due(run, PAY_ON - dt.timedelta(days=1)) == 0  # ECO-12: not before
    awarded = Result.objects.filter(run=run, mileage__gt=0)
    assert services.pay_due(run, PAY_ON) == awarded.count() > 0
    assert services.pay_due(run, PAY_ON) == 0  # run it twice, paid once
    from mileage.core.models import OutboxMessage

    notices = OutboxMessage.objects.filter(kind="mileage-awarded")
    assert notices.count() == awarded.count()  # LEDGER-2: one "award paid" notice each
    run.refresh_from_db()
    assert run.status == RunStatus.PAID
    for result in awarded[:5]:
        wallet = ledger.account("wallet", user=result.owner_id)
        assert ledger.balance(wallet) == result.mileage
    budget = ledger.account("budget", programme="eco-car")
    assert ledger.balance(budget) == -sum(r.mileage for r in awarded)
    assert_books_balance()


def test_eco12_two_runs_for_the_same_window_one_is_refused(vehicles, manager) -> None:
    services.start_run(manager, *WINDOW)
    with pytest.raises(RunAlreadyExists) as error:
        services.start_run(manager, *WINDOW)
    assert error.value.status == 409 and "이미" in error.value.message
    assert_books_balance()


def test_sign_off_waits_for_the_evaluation(vehicles, manager) -> None:
    run = services.start_run(manager, *WINDOW)
    with pytest.raises(RunNotReady):
        services.sign_off(run, manager)
    assert_books_balance()


def test_crash_inside_a_chunk_then_resume_gives_the_same_results_and_ledger(
    vehicles, manager, monkeypatch
) -> None:
    first = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=10))
    services.sign_off(first, manager)
    services.pay_due(first, PAY_ON)
    expected = _snapshot(first)
    balances = {
        k: ledger.balance(ledger.account("wallet", user=o))
        for k, o in Result.objects.filter(run=first).values_list("key", "owner_id")
    }
    first.status = RunStatus.CANCELLED  # let a second run over the same window start
    first.save(update_fields=["status"])

    real = eco_car.evaluate_cycles
    calls = {"n": 0}

    def crash_in_second_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker died in chunk 2")
        return real(*args, **kwargs)

    monkeypatch.setattr(eco_car, "evaluate_cycles", crash_in_second_chunk)
    second = services.start_run(manager, *WINDOW, chunk_size=10)
    with pytest.raises(RuntimeError):
        services.run_evaluation(second)
    assert second.chunks.filter(evaluated_at__isnull=False).count() == 1
    services.run_evaluation(second)  # resume
    services.sign_off(second, manager)
    assert services.pay_due(second, PAY_ON) == 0  # the keys were paid by the first run
    assert _snapshot(second) == expected
    for key, owner in Result.objects.filter(run=second).values_list("key", "owner_id"):
        assert ledger.balance(ledger.account("wallet", user=owner)) == balances[key]
    assert_books_balance()
