"""LEDGER-1 set-based award posting: same guarantees as ledger.post, once per key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import CharField, DateField, IntegerField, Value
from django.db.models.functions import Concat

from mileage.accounts.models import User
from mileage.ledger import bulk
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import IdempotencyConflict, InvalidAmount
from mileage.ledger.models import Lot, Transaction

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


def _award_query(members, amount: int = 500):
    """Awards as a queryset whose key is an expression listed first (Django selects it last)."""
    key = Concat(Value("test:award:"), "id", output_field=CharField())
    return User.objects.filter(pk__in=[m.pk for m in members]).values_list(
        key, "id", Value(amount, output_field=IntegerField()), Value(ON, output_field=DateField())
    )


def test_ledger1_bulk_awards_from_a_queryset_are_read_in_the_callers_order(budget) -> None:
    a, b = make_member(), make_member()
    assert bulk.post_awards(budget, _award_query([a, b]), memo="걷기") == 2
    assert bulk.post_awards(budget, _award_query([a, b]), memo="걷기") == 0  # paid once
    assert ledger.balance(ledger.account("wallet", user=b)) == 500
    tx = Transaction.objects.get(key=f"test:award:{a.pk}")
    assert (tx.kind, tx.effective_on, tx.memo) == ("award", ON, "걷기")
    with pytest.raises(IdempotencyConflict):
        bulk.post_awards(budget, _award_query([a], amount=700), memo="걷기")
    assert ledger.balance(budget) == -1000
    assert_books_balance()


@pytest.mark.parametrize("awards", ["rows", "query"])
def test_ledger1_bulk_awards_refuse_a_non_positive_amount_like_post(budget, awards) -> None:
    a = make_member()
    given = [("k:0", a.pk, 0, ON)] if awards == "rows" else _award_query([a], amount=0)
    with pytest.raises(InvalidAmount):
        bulk.post_awards(budget, given, memo="정기")
    with pytest.raises(InvalidAmount):
        ledger.transfer("k:0", budget, ledger.account("wallet", user=a), 0, kind="award", memo="x")
    assert not Transaction.objects.exists()


def test_ledger1_bulk_awards_take_no_sql_text_and_no_other_queryset(budget) -> None:
    with pytest.raises(TypeError, match="never SQL text"):
        bulk.post_awards(budget, "SELECT 'k', 1, 100, '2025-07-20'", memo="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="values_list"):
        bulk.post_awards(budget, User.objects.all(), memo="x")
    with pytest.raises(ValueError, match="budget"):
        bulk.post_awards(ledger.account("wallet", user=make_member()), [], memo="x")


@pytest.mark.postgres
@pytest.mark.parametrize("relaxed", [False, True])
def test_ledger1_commits_are_relaxed_only_when_the_caller_asks(budget, relaxed) -> None:
    a = make_member()
    with transaction.atomic(), connection.cursor() as cur:
        bulk.post_awards(budget, [("k:1", a.pk, 100, ON)], memo="x", relaxed_durability=relaxed)
        cur.execute("SHOW synchronous_commit")
        assert cur.fetchone()[0] == ("off" if relaxed else "on")
