"""LEDGER-1 set-based award posting: same guarantees as ledger.post, once per key."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.ledger import bulk
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import IdempotencyConflict
from mileage.ledger.models import Lot

from .conftest import make_member

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 7, 20)


def test_ledger1_bulk_awards_are_paid_once_with_lots(budget) -> None:
    a, b = make_member(), make_member()
    rows = [
        ("eco-car:vehicle:1:cycle:1", a.pk, 50000, ON),
        ("eco-car:vehicle:2:cycle:1", b.pk, 10000, ON),
    ]
    assert bulk.post_awards(budget, rows, memo="정기") == 2
    assert bulk.post_awards(budget, rows, memo="정기") == 0  # run it twice, paid once
    assert ledger.balance(ledger.account("wallet", user=a)) == 50000
    assert ledger.balance(budget) == -60000
    assert sorted(Lot.objects.values_list("expires_on", flat=True)) == [dt.date(2030, 7, 20)] * 2
    assert_books_balance()


def test_ledger1_bulk_award_with_other_amount_is_a_conflict_and_writes_nothing(budget) -> None:
    a, b = make_member(), make_member()
    bulk.post_awards(budget, [("k:1", a.pk, 50000, ON)], memo="정기")
    with pytest.raises(IdempotencyConflict):
        bulk.post_awards(budget, [("k:2", b.pk, 1000, ON), ("k:1", a.pk, 70000, ON)], memo="정기")
    assert ledger.balance(ledger.account("wallet", user=b)) == 0
    assert_books_balance()
