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
    assert "2025. 3. 20." in message.body and "5,000" in message.subject  # issue #15: Korean dates
    assert_books_balance()


def test_ledger2_set_based_award_notices_read_as_the_one_by_one_ones(budget) -> None:
    """`awards_paid` (one INSERT … SELECT, issue #13 finding 2) writes the same channel, text and
    key as `award_paid` does for each award, once per key."""
    from django.db import transaction
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    from mileage.ledger import notify
    from mileage.ledger.models import Lot

    from .conftest import make_member

    texter = make_member("문자받는분")
    texter.phone = "01012345678"
    texter.save(update_fields=["phone"])
    reader = make_member("메일받는분")
    for user, amount, on in (
        (texter, 1234567, dt.date(2025, 7, 20)),
        (reader, 5, dt.date(2025, 1, 2)),
        (reader, 1000, dt.date(2025, 12, 31)),
    ):
        ledger.transfer(
            f"set:{user.pk}:{amount}",
            budget,
            ledger.account("wallet", user=user),
            amount,
            kind="transfer",  # no notice of its own: the two paths below write them
            memo="적립",
            effective_on=on,
        )
    lots = Lot.objects.filter(account__user__in=[texter, reader]).annotate(
        award_key=Concat(Value("lot:"), Cast("pk", CharField()))
    )
    for lot in lots.select_related("account__user"):
        notify.award_paid(
            lot.account.user,
            amount=lot.amount,
            memo=f"에코마일리지 {lot.pk}주기 평가",
            key=lot.award_key,
            paid_on=lot.awarded_on,
        )
    columns = ("user_id", "channel", "kind", "subject", "body", "key")
    one_by_one = sorted(OutboxMessage.objects.values_list(*columns))
    assert len(one_by_one) == 3 and {c for _, c, *_ in one_by_one} == {"sms", "email"}
    bodies = " ".join(body for *_, body, _key in one_by_one)
    assert "2025. 1. 2.에" in bodies and "2025. 12. 31.에" in bodies and "2025-" not in bodies
    OutboxMessage.objects.all().delete()

    def set_based() -> int:
        with transaction.atomic():
            return notify.awards_paid(
                lots,
                key="award_key",
                user="account__user_id",
                amount="amount",
                paid_on="awarded_on",
                memo=Concat(Value("에코마일리지 "), Cast(F("pk"), CharField()), Value("주기 평가")),
            )

    assert set_based() == 3
    assert sorted(OutboxMessage.objects.values_list(*columns)) == one_by_one
    assert set_based() == 0  # once per award key
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
