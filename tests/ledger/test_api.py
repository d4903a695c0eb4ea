"""The ledger API: a member donates and tops up a transit card; short balances are refused in
Korean with 409 and write nothing (LEDGER-1); the same key pays once."""

from __future__ import annotations

import pytest

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from tests.factories import mapo_citizen

pytestmark = pytest.mark.django_db


def test_member_donates_once_per_key_and_a_short_wallet_is_refused_in_korean(client) -> None:
    member = mapo_citizen()
    wallet = ledger.account("wallet", user=member)
    budget = ledger.account("budget", programme="walk")
    charity = ledger.account("beneficiary", name="기부처")
    ledger.transfer("fund", budget, wallet, 10_600, kind="transfer", memo="적립")
    client.force_login(member)
    body = {"beneficiary": charity.pk, "amount": 600, "key": "d1"}
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/ledger/donations", body, content_type="application/json"
            ).status_code
            == 200
        )
    refused = client.post(
        "/api/v1/ledger/donations",
        {**body, "amount": 10_001, "key": "d2"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert (
        refused.json()["code"] == "ledger.insufficient_mileage"
        and "부족" in refused.json()["message"]
    )
    data = client.get("/api/v1/ledger/wallet").json()
    assert data["balance"] == 10_000 and data["history"][0]["amount"] == -600
    top_up = client.post(
        "/api/v1/ledger/external-uses",
        {"use": "transit-card", "reference": "1234", "amount": 10_000, "key": "c1"},
        content_type="application/json",
    )
    assert top_up.status_code == 200 and len(top_up.json()["confirmation"]) == 14
    assert ledger.balance(wallet) == 0 and ledger.balance(charity) == 600
    assert_books_balance()
