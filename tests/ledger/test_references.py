"""LEDGER-1/LEDGER-2 references proved by database triggers once per statement (migration 0004),
on both databases: postings name a real transaction and account, lots a posting of their own
account; accounts with postings stay; ledger transactions stay append-only on SQLite too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from mileage.ledger import bulk
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Lot, Transaction

from .conftest import make_member

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 7, 20)


def _sql(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_ledger1_posting_naming_a_missing_transaction_is_refused(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("ref:1", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="missing transaction or account"), transaction.atomic():
        _sql(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount) "
            "VALUES (%s, %s, 5), (%s, %s, -5)",
            [tx.pk + 1000, wallet.pk, tx.pk + 1000, budget.pk],
        )
    assert_books_balance()


def test_ledger1_posting_naming_a_missing_account_is_refused(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("ref:2", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="missing transaction or account"), transaction.atomic():
        _sql(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount) "
            "VALUES (%s, %s, 5), (%s, %s, -5)",
            [tx.pk, wallet.pk + 1000, tx.pk, wallet.pk],
        )
    assert_books_balance()


def test_ledger2_lot_on_another_accounts_posting_is_refused(member, budget) -> None:
    other = make_member()
    bulk.post_awards(budget, [("ref:3", member.pk, 100, ON)], memo="x")
    lot = Lot.objects.get()
    other_wallet = ledger.account("wallet", user=other)
    with pytest.raises(Exception, match="missing posting or another account"):
        with transaction.atomic():
            _sql(
                "INSERT INTO ledger_lot (account_id, posting_id, amount, remaining, awarded_on, "
                "expires_on, expiry_notified) VALUES (%s, %s, 1, 1, %s, %s, %s)",
                [other_wallet.pk, lot.posting_id + 1000, ON, ON, False],
            )
    assert Lot.objects.count() == 1
    assert_books_balance()


def test_ledger1_transactions_stay_append_only_in_the_database(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("ref:4", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _sql("UPDATE ledger_transaction SET memo = 'changed' WHERE id = %s", [tx.pk])
    assert_books_balance()


@pytest.mark.postgres
def test_ledger1_postgres_keeps_accounts_that_have_postings(member, budget) -> None:
    assert connection.vendor == "postgresql"
    wallet = ledger.account("wallet", user=member)
    ledger.transfer("ref:5", budget, wallet, 100, kind="transfer", memo="x")
    with pytest.raises(Exception, match="cannot be deleted"), transaction.atomic():
        _sql("DELETE FROM ledger_account WHERE id = %s", [wallet.pk])
    with pytest.raises(Exception, match="never change"), transaction.atomic():
        _sql("UPDATE ledger_account SET id = id + 1000 WHERE id = %s", [wallet.pk])
    unused = ledger.account("beneficiary", name="쓰지 않은 계정")
    _sql("DELETE FROM ledger_account WHERE id = %s", [unused.pk])  # nothing refers to it
    assert_books_balance()


def test_ledger1_wallet_naming_a_missing_member_is_refused(member, budget) -> None:
    """Migration 0005: the wallet's member is proved by a trigger, not a per-row foreign key."""
    ledger.account("wallet", user=member)
    with pytest.raises(Exception, match="missing member"), transaction.atomic():
        _sql(
            "INSERT INTO ledger_account (ref, kind, user_id, programme, name, balance, created_at)"
            " VALUES (%s, 'wallet', %s, '', 'x', 0, %s)",
            [f"wallet:user={member.pk + 1000}", member.pk + 1000, dt.datetime(2025, 7, 20)],
        )
    with pytest.raises(Exception, match="missing member"):
        bulk.post_awards(budget, [("ref:6", member.pk + 1000, 100, ON)], memo="x")
    assert not Transaction.objects.filter(key="ref:6").exists()
    assert_books_balance()


def test_ledger1_a_transaction_is_reversed_at_most_once_in_the_database(member, budget) -> None:
    """Migration 0005: the partial unique index on reverses_id still refuses a second reversal."""
    wallet = ledger.account("wallet", user=member)
    tx = ledger.transfer("ref:7", budget, wallet, 100, kind="transfer", memo="x")
    ledger.reverse("ref:7:undo", tx, memo="x")
    with pytest.raises(Exception, match=r"(?i)unique"), transaction.atomic():
        _sql(
            "INSERT INTO ledger_transaction (key, kind, memo, effective_on, created_at, "
            "reverses_id) VALUES ('ref:7:undo2', 'reversal', '', %s, %s, %s)",
            [ON, dt.datetime(2025, 7, 20), tx.pk],
        )
    assert_books_balance()


@pytest.mark.postgres
def test_ledger1_postgres_keeps_members_that_have_accounts(member, budget) -> None:
    assert connection.vendor == "postgresql"
    wallet = ledger.account("wallet", user=member)
    with pytest.raises(Exception, match="cannot be deleted"), transaction.atomic():
        _sql("DELETE FROM accounts_user WHERE id = %s", [member.pk])
    other = make_member()
    with pytest.raises(Exception, match="never change"), transaction.atomic():
        _sql("UPDATE ledger_account SET user_id = %s WHERE id = %s", [other.pk, wallet.pk])
    assert_books_balance()
