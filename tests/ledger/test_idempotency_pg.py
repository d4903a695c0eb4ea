"""Racing requests with one idempotency key on PostgreSQL (issue #13, findings 5 and 7): 20
parallel external uses and two parallel coupon purchases each get the first answer (never a
500) and the member is charged once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.catalogue import ensure_catalogue
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import ExternalUse, IdempotentResponse
from mileage.walking.models import Coupon, CouponPurchase
from tests import factories
from tests.walking.helpers import coupon, fund_wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(member: Any, count: int, send: Callable[[Client], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    answers: list[Any] = []

    def one() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(member)
        barrier.wait()
        try:
            answers.append(send(client))
        except Exception as error:  # a 500 would re-raise here in the test client
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_twenty_parallel_external_uses_with_one_key_get_the_first_answer(settings) -> None:
    settings.MILEAGE_LOCAL_EXTERNAL_MODE = "confirm"
    ensure_catalogue()
    member = factories.mapo_citizen()
    fund_wallet(member, 50_000)
    body = {"use": "transit-card", "reference": "1234", "amount": 10_000, "key": "race-1"}

    answers = _race(
        member, 20, lambda c: c.post("/api/v1/ledger/external-uses", body, "application/json")
    )

    assert [getattr(a, "status_code", a) for a in answers] == [200] * 20
    assert len({a.content for a in answers}) == 1  # all the first answer
    assert answers[0].json()["confirmation"]
    assert ExternalUse.objects.count() == 1
    assert ledger.balance(ledger.account("wallet", user=member)) == 40_000
    assert_books_balance()


def test_two_parallel_coupon_buys_with_one_key_are_charged_once() -> None:
    member = factories.mapo_citizen()
    fund_wallet(member, 2_000)
    c = coupon(price=500)
    url = f"/api/v1/walking/me/coupons/{c.pk}/buy"

    answers = _race(
        member, 2, lambda client: client.post(url, {"key": "twice"}, "application/json")
    )

    assert [getattr(a, "status_code", a) for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert CouponPurchase.objects.count() == 1 and Coupon.objects.get(pk=c.pk).sold == 1
    assert ledger.balance(ledger.account("wallet", user=member)) == 1_500
    assert IdempotentResponse.objects.count() == 1
    assert_books_balance()
