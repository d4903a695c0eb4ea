"""LEDGER-1: balanced, idempotent, append-only transactions; wallets never negative."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientMileage,
    InvalidAmount,
    UnbalancedTransaction,
)
from mileage.ledger.models import Account, Posting, Transaction
from tests.conftest import on_postgres

pytestmark = pytest.mark.django_db


def test_ledger1_account_is_got_or_created_by_natural_key(member) -> None:
    first = ledger.account("wallet", user=member)
    again = ledger.account("wallet", user=member)
    assert first.pk == again.pk
    assert (
        ledger.account("budget", programme="eco-car").pk
        != ledger.account("budget", programme="walk").pk
    )
    assert_books_balance()


def test_ledger1_transfer_moves_mileage_from_budget_to_wallet(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("test:t1", budget, wallet, 50000, kind="transfer", memo="지급")
    assert ledger.balance(wallet) == 50000
    assert ledger.balance(budget) == -50000  # the issuing account may go negative
    assert sorted(tx.postings.values_list("amount", flat=True)) == [-50000, 50000]
    wallet.refresh_from_db()
    assert wallet.balance == 50000
    assert_books_balance()


def test_ledger1_unbalanced_legs_are_refused_and_nothing_is_written(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    with pytest.raises(UnbalancedTransaction):
        ledger.post("test:bad", [(budget, -100), (wallet, 90)], kind="transfer", memo="x")
    with pytest.raises(UnbalancedTransaction):
        ledger.post("test:one-leg", [(wallet, 5), (wallet, -5)][:1], kind="transfer", memo="x")
    with pytest.raises(InvalidAmount):
        ledger.transfer("test:neg", budget, wallet, -5, kind="transfer", memo="x")
    assert not Transaction.objects.exists()
    assert_books_balance()


def test_ledger1_same_key_same_legs_returns_the_existing_transaction(member, budget) -> None:
    """Run it twice, paid once."""
    wallet = ledger.account("wallet", user=member)
    first = ledger.transfer("eco:cycle:1:regular", budget, wallet, 20000, kind="transfer", memo="a")
    second = ledger.transfer(
        "eco:cycle:1:regular", budget, wallet, 20000, kind="transfer", memo="a"
    )
    assert first.pk == second.pk
    assert ledger.balance(wallet) == 20000
    assert Posting.objects.count() == 2
    assert_books_balance()


def test_ledger1_same_key_other_legs_raises_idempotency_conflict(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    ledger.transfer("eco:cycle:2:regular", budget, wallet, 20000, kind="transfer", memo="a")
    with pytest.raises(IdempotencyConflict) as error:
        ledger.transfer("eco:cycle:2:regular", budget, wallet, 30000, kind="transfer", memo="a")
    assert error.value.status == 409 and "거래" in error.value.message
    assert ledger.balance(wallet) == 20000
    assert_books_balance()


def test_ledger1_wallet_never_goes_negative_and_the_refusal_is_korean(
    member, budget, beneficiary
) -> None:
    wallet = ledger.account("wallet", user=member)
    ledger.transfer("test:fund", budget, wallet, 1000, kind="transfer", memo="x")
    with pytest.raises(InsufficientMileage) as error:
        ledger.transfer("test:over", wallet, beneficiary, 1001, kind="donation", memo="x")
    assert "잔액이 부족" in error.value.message and "1,000" in error.value.message
    assert ledger.balance(wallet) == 1000
    assert not Transaction.objects.filter(key="test:over").exists()
    assert_books_balance()


def test_ledger1_reverse_negates_every_leg_once(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("test:wrong", budget, wallet, 7000, kind="transfer", memo="x")
    fix = ledger.reverse("test:wrong:reversal", tx, memo="잘못 지급")
    assert fix.reverses_id == tx.pk
    assert ledger.balance(wallet) == 0 and ledger.balance(budget) == 0
    assert ledger.reverse("test:wrong:reversal", tx, memo="잘못 지급").pk == fix.pk
    with pytest.raises(AlreadyReversed):
        ledger.reverse("test:wrong:again", tx, memo="두 번")
    assert_books_balance()


def test_ledger1_reversing_spent_mileage_is_refused(member, budget, beneficiary) -> None:
    wallet = ledger.account("wallet", user=member)
    award = ledger.transfer("test:award", budget, wallet, 5000, kind="transfer", memo="x")
    ledger.transfer("test:give", wallet, beneficiary, 4000, kind="donation", memo="x")
    with pytest.raises(InsufficientMileage):
        ledger.reverse("test:award:reversal", award, memo="취소")
    assert ledger.balance(wallet) == 1000
    assert_books_balance()


def test_ledger1_model_layer_refuses_update_and_delete(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("test:frozen", budget, wallet, 100, kind="transfer", memo="x")
    posting = tx.postings.first()
    posting.amount = 999
    with pytest.raises(TypeError):
        posting.save()
    with pytest.raises(TypeError):
        tx.delete()
    with pytest.raises(TypeError):
        Posting.objects.filter(pk=posting.pk).update(amount=1)
    with pytest.raises(TypeError):
        Transaction.objects.all().delete()
    assert_books_balance()


def test_ledger1_database_refuses_update_of_a_posting(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("test:sql", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE ledger_posting SET amount = 5 WHERE transaction_id = %s", [tx.pk])
    assert sorted(tx.postings.values_list("amount", flat=True)) == [-100, 100]
    assert_books_balance()


@pytest.mark.postgres
def test_ledger1_postgres_refuses_delete_and_unbalanced_insert(member, budget) -> None:
    assert on_postgres()
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("test:pg", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM ledger_posting WHERE transaction_id = %s", [tx.pk])
    with pytest.raises(Exception, match="not balanced"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO ledger_posting (transaction_id, account_id, amount) VALUES (%s, %s, 5)",
                [tx.pk, wallet.pk],
            )
    assert_books_balance()


def test_ledger1_database_check_refuses_a_negative_wallet_balance(member) -> None:
    wallet = ledger.account("wallet", user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(balance=-1)
    assert_books_balance()


def test_ledger1_history_lists_postings_newest_first(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    ledger.transfer(
        "h:1", budget, wallet, 10, kind="transfer", memo="첫째", effective_on=dt.date(2024, 1, 1)
    )
    ledger.transfer(
        "h:2", budget, wallet, 20, kind="transfer", memo="둘째", effective_on=dt.date(2024, 2, 1)
    )
    assert [p.transaction.memo for p in ledger.history(wallet)] == ["둘째", "첫째"]
    assert_books_balance()
