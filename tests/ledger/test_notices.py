"""LEDGER-2: members hear when an award is paid and before their mileage expires (once each)."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.core.models import OutboxMessage
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.expiry import remind_expiring

pytestmark = pytest.mark.django_db


def test_ledger2_award_paid_notice_is_sent_once(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    for _ in range(2):
        ledger.transfer(
            "eco:cycle:9:regular",
            budget,
            wallet,
            30000,
            kind="award",
            memo="정기 마일리지",
            effective_on=dt.date(2025, 6, 20),
        )
    notices = OutboxMessage.objects.filter(user=member, kind="mileage-awarded")
    assert notices.count() == 1
    assert "30,000" in notices.get().subject
    assert_books_balance()


def test_ledger2_expiry_reminder_thirty_days_before_once(member, budget) -> None:
    wallet = ledger.account("wallet", user=member)
    ledger.transfer(
        "a:1", budget, wallet, 5000, kind="transfer", memo="적립", effective_on=dt.date(2020, 3, 20)
    )
    assert remind_expiring(dt.date(2025, 2, 17)) == 0  # 31 days before
    assert remind_expiring(dt.date(2025, 2, 18)) == 1  # 30 days before 2025-03-20
    assert remind_expiring(dt.date(2025, 2, 19)) == 0
    message = OutboxMessage.objects.get(user=member, kind="mileage-expiring")
    assert "2025-03-20" in message.body and "5,000" in message.subject
    assert_books_balance()
