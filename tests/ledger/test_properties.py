"""LEDGER-1/2 invariants under any sequence of awards, spends and reversals (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance, verify_books
from mileage.ledger.errors import AlreadyReversed, InsufficientMileage
from mileage.ledger.models import Lot, Transaction

from .conftest import make_member

pytestmark = pytest.mark.django_db

MEMBERS = 3
amounts = st.integers(min_value=1, max_value=60000)
days = st.integers(min_value=0, max_value=9 * 365)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(0, MEMBERS - 1), amounts, days),
        st.tuples(st.just("spend"), st.integers(0, MEMBERS - 1), amounts, days),
        st.tuples(st.just("reverse"), st.integers(0, 50), st.just(0), days),
    ),
    max_size=25,
)
START = dt.date(2020, 1, 1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=ops)
def test_ledger1_any_sequence_keeps_books_balanced_and_wallets_non_negative(db, ops) -> None:
    with transaction.atomic():
        budget = ledger.account("budget", programme="eco-car")
        beneficiary = ledger.account("beneficiary", name="기부처")
        wallets = [ledger.account("wallet", user=make_member()) for _ in range(MEMBERS)]
        expected = [0] * MEMBERS
        written: list[Transaction] = []
        for n, (op, who, amount, day) in enumerate(ops):
            on = START + dt.timedelta(days=day)
            try:
                if op == "award":
                    written.append(
                        ledger.transfer(
                            f"p:{n}",
                            budget,
                            wallets[who],
                            amount,
                            kind="transfer",
                            memo="적립",
                            effective_on=on,
                        )
                    )
                    expected[who] += amount
                elif op == "spend":
                    available = ledger.spendable(wallets[who], on)
                    try:
                        written.append(
                            ledger.transfer(
                                f"p:{n}",
                                wallets[who],
                                beneficiary,
                                amount,
                                kind="donation",
                                memo="기부",
                                effective_on=on,
                            )
                        )
                        expected[who] -= amount
                        assert amount <= available
                    except InsufficientMileage:
                        assert amount > available
                elif written:
                    original = written[who % len(written)]
                    legs = {p.account_id: p.amount for p in original.postings.all()}
                    ledger.reverse(f"p:{n}", original, memo="취소")
                    for i, wallet in enumerate(wallets):
                        expected[i] -= legs.get(wallet.pk, 0)
            except (InsufficientMileage, AlreadyReversed):
                pass
            assert verify_books() == []
        assert [ledger.balance(w) for w in wallets] == expected
        assert all(b >= 0 for b in expected)
        assert all(0 <= lot.remaining <= lot.amount for lot in Lot.objects.all())
        assert_books_balance()
        transaction.set_rollback(True)
