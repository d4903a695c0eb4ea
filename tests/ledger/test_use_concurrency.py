"""A double click on PostgreSQL: two parallel confirmations with the same key pay once, no 500."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.catalogue import ensure_catalogue
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import ExternalUse, Transaction
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GIFT = "/wallet/use/seoul-love-gift-certificate/"


def test_two_parallel_confirmations_with_one_key_charge_once(settings) -> None:
    settings.MILEAGE_LOCAL_EXTERNAL_MODE = "confirm"
    ensure_catalogue()
    member = factories.mapo_citizen()
    wallet = ledger.account("wallet", user=member)
    ledger.transfer(
        "fund",
        ledger.account("budget", programme="eco-car"),
        wallet,
        30_000,
        kind="award",
        memo="적립",
    )
    first = Client()
    first.force_login(member)
    page = first.post(GIFT, {"amount": "10000", "reference": "010-1234-5678"}).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]
    form = {"amount": "10000", "reference": "010-1234-5678", "key": key}
    barrier = threading.Barrier(2)
    answers: list[object] = []

    def click() -> None:
        client = Client()
        client.force_login(member)
        barrier.wait()
        try:
            answers.append(client.post(GIFT + "confirm/", form))
        except Exception as error:  # a 500 would re-raise here in the test client
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    use = ExternalUse.objects.get()
    assert [getattr(a, "status_code", a) for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {f"/wallet/use/{use.pk}/"}
    assert Transaction.objects.filter(key=f"use:{use.pk}:hold").count() == 1
    assert ledger.balance(wallet) == 20_000
    assert_books_balance()
