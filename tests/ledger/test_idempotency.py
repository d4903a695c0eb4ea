"""Strict amounts and idempotency keys on the ledger API (issue #13, findings 6 and 7): an amount
is a JSON integer (no `true`, no "1"); a donation or external use needs a key (428 in Korean
without one) and runs once per key."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import ExternalUse, IdempotentResponse, Transaction
from tests.factories import mapo_citizen

pytestmark = pytest.mark.django_db

DONATE = "/api/v1/ledger/donations"
USE = "/api/v1/ledger/external-uses"


@pytest.fixture
def funded() -> tuple[object, Client, object]:
    member = mapo_citizen()
    ledger.transfer(
        "fund",
        ledger.account("budget", programme="walk"),
        ledger.account("wallet", user=member),
        50_000,
        kind="transfer",
        memo="적립",
    )
    client = Client()
    client.force_login(member)
    return member, client, ledger.account("beneficiary", name="기부처")


def _balance(member: object) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


@pytest.mark.parametrize("amount", [True, "1", 1.0, 0, -1, int("9" * 309)])
def test_donation_amount_must_be_a_bounded_json_integer(funded, amount: object) -> None:
    member, client, charity = funded
    body = {"beneficiary": charity.pk, "amount": amount, "key": "d1"}
    answer = client.post(DONATE, body, content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["loc"][-1] == "amount"
    assert answer.json()["message"].startswith("요청 값이 올바르지 않습니다 (amount:")
    assert _balance(member) == 50_000


@pytest.mark.parametrize("amount", [True, "10000", 10_000.0])
def test_external_use_amount_must_be_a_json_integer(funded, amount: object) -> None:
    member, client, _ = funded
    body = {"use": "transit-card", "reference": "1234", "amount": amount, "key": "u1"}
    assert client.post(USE, body, content_type="application/json").status_code == 422
    assert not ExternalUse.objects.exists() and _balance(member) == 50_000


def test_donation_without_a_key_is_428_in_korean(funded) -> None:
    member, client, charity = funded
    answer = client.post(
        DONATE, {"beneficiary": charity.pk, "amount": 600}, content_type="application/json"
    )
    assert answer.status_code == 428
    assert answer.json()["code"] == "request.idempotency_key_required"
    answer = client.post(
        USE, {"use": "transit-card", "reference": "1", "amount": 10_000}, "application/json"
    )
    assert answer.status_code == 428 and _balance(member) == 50_000


def test_donation_with_the_header_key_twice_answers_the_first_and_pays_once(funded) -> None:
    member, client, charity = funded
    body = {"beneficiary": charity.pk, "amount": 600}
    first = client.post(DONATE, body, "application/json", HTTP_IDEMPOTENCY_KEY="gift-7")
    again = client.post(DONATE, body, "application/json", HTTP_IDEMPOTENCY_KEY="gift-7")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert _balance(member) == 49_400
    assert IdempotentResponse.objects.get().operation == "ledger.donation"
    clash = client.post(
        DONATE, {**body, "amount": 700}, "application/json", HTTP_IDEMPOTENCY_KEY="gift-7"
    )
    assert clash.status_code == 409 and _balance(member) == 49_400
    assert Transaction.objects.filter(kind="donation").count() == 1
    assert_books_balance()


def test_external_use_repeated_with_one_key_answers_the_first_confirmation(funded) -> None:
    member, client, _ = funded
    body = {"use": "transit-card", "reference": "1234", "amount": 10_000, "key": "top-up"}
    first = client.post(USE, body, content_type="application/json")
    again = client.post(USE, body, content_type="application/json")
    assert first.status_code == again.status_code == 200, first.content
    assert first.json() == again.json()
    assert ExternalUse.objects.count() == 1 and _balance(member) == 40_000
