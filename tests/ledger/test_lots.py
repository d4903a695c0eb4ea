"""LEDGER-2: oldest mileage is spent first; it expires five years after its award."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import InsufficientMileage
from mileage.ledger.expiry import expire_lots
from mileage.ledger.models import Lot, Transaction
from mileage.ledger.params import expires_on
from mileage.rules.dates import add_years

pytestmark = pytest.mark.django_db

D = dt.date


def _award(budget, wallet, key: str, amount: int, on: dt.date) -> Transaction:
    return ledger.transfer(
        key, budget, wallet, amount, kind="transfer", memo="적립", effective_on=on
    )


def test_ledger2_expiry_is_five_years_after_award_with_feb29_to_feb28() -> None:
    assert expires_on(D(2023, 7, 20)) == D(2028, 7, 20)
    assert expires_on(D(2024, 2, 29)) == D(2029, 2, 28)  # C-5
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_ledger2_spending_takes_the_oldest_lot_first(member, budget, beneficiary) -> None:
    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:new", 3000, D(2025, 3, 20))
    _award(budget, wallet, "a:old", 2000, D(2024, 3, 20))
    ledger.transfer(
        "give:1",
        wallet,
        beneficiary,
        2500,
        kind="donation",
        memo="기부",
        effective_on=D(2025, 4, 1),
    )
    remaining = dict(Lot.objects.values_list("awarded_on", "remaining"))
    assert remaining == {D(2024, 3, 20): 0, D(2025, 3, 20): 2500}
    assert_books_balance()


def test_ledger2_expired_mileage_cannot_be_spent(member, budget, beneficiary) -> None:
    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:2019", 4000, D(2019, 3, 20))
    _award(budget, wallet, "a:2023", 1000, D(2023, 3, 20))
    with pytest.raises(InsufficientMileage) as error:
        ledger.transfer(
            "give:late",
            wallet,
            beneficiary,
            1500,
            kind="donation",
            memo="기부",
            effective_on=D(2024, 3, 20),
        )
    assert "1,000" in error.value.message  # only the unexpired lot is available
    assert ledger.spendable(wallet, D(2024, 3, 20)) == 1000
    assert ledger.spendable(wallet, D(2024, 3, 19)) == 5000  # the day before expiry
    assert_books_balance()


def test_ledger2_expiry_job_moves_leftovers_once(member, budget, beneficiary) -> None:
    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:2019", 4000, D(2019, 3, 20))
    _award(budget, wallet, "a:2023", 1000, D(2023, 3, 20))
    ledger.transfer(
        "give:1",
        wallet,
        beneficiary,
        1500,
        kind="donation",
        memo="기부",
        effective_on=D(2020, 1, 1),
    )
    assert expire_lots(D(2024, 3, 19)) == 0
    assert expire_lots(D(2024, 3, 20)) == 1
    assert expire_lots(D(2024, 3, 21)) == 0  # run it twice, expired once
    assert ledger.balance(wallet) == 1000
    sink = ledger.account("expired", name="소멸 마일리지")
    assert ledger.balance(sink) == 2500
    assert Transaction.objects.filter(kind="expiry").count() == 1
    assert_books_balance()


def test_ledger2_reversing_a_spend_restores_the_same_lots(member, budget, beneficiary) -> None:
    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:old", 2000, D(2024, 3, 20))
    _award(budget, wallet, "a:new", 2000, D(2025, 3, 20))
    gift = ledger.transfer(
        "give:1",
        wallet,
        beneficiary,
        3000,
        kind="donation",
        memo="기부",
        effective_on=D(2025, 4, 1),
    )
    ledger.reverse("give:1:reversal", gift, memo="기부 취소")
    assert sorted(Lot.objects.values_list("remaining", flat=True)) == [2000, 2000]
    assert Lot.objects.count() == 2  # no new lot: the old expiry dates are kept
    assert_books_balance()


def test_ledger2_reversing_an_award_takes_back_its_own_lot(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:old", 2000, D(2024, 3, 20))
    wrong = _award(budget, wallet, "a:new", 3000, D(2025, 3, 20))
    ledger.reverse("a:new:reversal", wrong, memo="잘못 지급")
    remaining = dict(Lot.objects.values_list("awarded_on", "remaining"))
    assert remaining == {D(2024, 3, 20): 2000, D(2025, 3, 20): 0}
    assert_books_balance()


def test_ledger2_expire_mileage_command_runs_the_daily_job(member, budget) -> None:
    import io

    from django.core.management import call_command

    wallet = ledger.account("wallet", user=member)
    _award(budget, wallet, "a:old", 700, D(2019, 1, 2))
    out = io.StringIO()
    call_command("expire_mileage", "--today", "2024-01-02", stdout=out)
    assert "expired 1 lots" in out.getvalue()
    assert ledger.balance(wallet) == 0
    assert_books_balance()
