"""LEDGER-1 under concurrency (PostgreSQL): racing spends never overdraw; one key pays once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import InsufficientMileage
from mileage.ledger.models import Transaction

from .conftest import make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(workers: int, job) -> list[object]:
    barrier = threading.Barrier(workers)
    results: list[object] = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            results.append(job(n))
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_ledger1_two_spends_racing_on_one_wallet_never_overdraw() -> None:
    member = make_member()
    budget = ledger.account("budget", programme="eco-car")
    charity = ledger.account("beneficiary", name="기부처")
    wallet = ledger.account("wallet", user=member)
    ledger.transfer("fund", budget, wallet, 10000, kind="transfer", memo="적립")
    results = _race(
        4,
        lambda n: ledger.transfer(f"give:{n}", wallet, charity, 7000, kind="donation", memo="기부"),
    )
    refused = [r for r in results if isinstance(r, InsufficientMileage)]
    paid = [r for r in results if isinstance(r, Transaction)]
    assert len(paid) == 1 and len(refused) == 3
    assert ledger.balance(wallet) == 3000
    assert_books_balance()


def test_ledger1_same_key_racing_pays_once() -> None:
    member = make_member()
    budget = ledger.account("budget", programme="eco-car")
    wallet = ledger.account("wallet", user=member)
    results = _race(
        4,
        lambda n: ledger.transfer(
            "eco:cycle:77:regular", budget, wallet, 20000, kind="transfer", memo="적립"
        ),
    )
    assert all(isinstance(r, Transaction) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert ledger.balance(wallet) == 20000
    assert_books_balance()
