"""Uses of mileage: donation and external uses (local tax, transit card), LEDGER-1/2."""

from __future__ import annotations

import re

import pytest

from mileage.ledger import services as ledger
from mileage.ledger import spending
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import IdempotencyConflict, InsufficientMileage
from mileage.ledger.models import ExternalUse, Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(member, budget):
    wallet = ledger.account("wallet", user=member)
    ledger.transfer("fund", budget, wallet, 30000, kind="transfer", memo="적립")
    return wallet


def test_donation_moves_mileage_to_the_beneficiary_once(member, funded, beneficiary) -> None:
    first = spending.donate(member, beneficiary, 10000, key="donate:1")
    again = spending.donate(member, beneficiary, 10000, key="donate:1")
    assert first.pk == again.pk  # run it twice, paid once
    assert ledger.balance(funded) == 20000
    assert ledger.balance(beneficiary) == 10000
    assert_books_balance()


def test_donation_larger_than_the_balance_is_refused_in_korean(member, funded, beneficiary) -> None:
    with pytest.raises(InsufficientMileage) as error:
        spending.donate(member, beneficiary, 30001, key="donate:big")
    assert "잔액이 부족" in error.value.message
    assert not Transaction.objects.filter(key="donate:big").exists()
    assert_books_balance()


def test_local_tax_payment_records_request_and_confirmation(member, funded) -> None:
    use = spending.use_externally(member, "local-tax", "2025-재산세-0001", 12000, key="tax:1")
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", use.confirmation) and use.confirmed_at is not None
    assert use.transaction.kind == "external"
    assert ledger.balance(funded) == 18000
    again = spending.use_externally(member, "local-tax", "2025-재산세-0001", 12000, key="tax:1")
    assert again.pk == use.pk and ledger.balance(funded) == 18000  # paid once
    with pytest.raises(IdempotencyConflict):
        spending.use_externally(member, "local-tax", "2025-재산세-0001", 13000, key="tax:1")
    assert_books_balance()


def test_transit_top_up_short_of_mileage_writes_nothing(member, funded) -> None:
    with pytest.raises(InsufficientMileage):
        spending.use_externally(member, "transit-card", "1234-****-5678", 40000, key="card:1")
    assert not ExternalUse.objects.exists()
    assert ledger.balance(funded) == 30000
    assert_books_balance()


class RefusingPayments:
    """The card company says no (a small fake of the outside system)."""

    def pay(self, use: ExternalUse) -> str:
        raise ConnectionError("card company unavailable")


def test_external_refusal_returns_the_held_mileage_in_full(member, funded) -> None:
    with pytest.raises(spending.ExternalUseFailed) as error:
        spending.use_externally(
            member,
            "transit-card",
            "1234-****-5678",
            10000,
            key="card:2",
            payments=RefusingPayments(),
        )
    assert "돌려드렸습니다" in error.value.message
    use = ExternalUse.objects.get()  # the request, its hold and its return stay on the books
    assert use.status == ExternalUse.Status.RETURNED and use.returned.reverses_id == use.hold_id
    assert ledger.balance(funded) == 30000
    assert_books_balance()


def test_unknown_external_use_is_refused(member, funded) -> None:
    with pytest.raises(spending.UnknownExternalUse):
        spending.use_externally(member, "casino", "x", 100, key="x:1")
    assert_books_balance()
