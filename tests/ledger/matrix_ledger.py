"""Authorization matrix rows for the ledger API: only a member uses their own wallet."""

from __future__ import annotations

from tests.platform.matrix import Row, expect

MEMBER_ONLY = dict(
    anonymous=401, keys=401, mapo_official=403, jung_official=403, city=403, partner_user=403
)


CASES: list[Row] = [
    Row("GET", "/api/v1/ledger/wallet", expect(**MEMBER_ONLY, citizen=200)),
    Row("GET", "/api/v1/ledger/beneficiaries", expect(anonymous=401, keys=401, people=200)),
    Row(
        "POST",
        "/api/v1/ledger/donations",
        expect(**MEMBER_ONLY, citizen=404),
        json={"beneficiary": 999_999_999, "amount": 100, "key": "m1"},
        note="no such beneficiary (404); refusals for a short wallet are in test_api.py",
    ),
    Row(
        "POST",
        "/api/v1/ledger/external-uses",
        expect(**MEMBER_ONLY, citizen=409),
        json={"use": "transit-card", "reference": "1234-****-5678", "amount": 10000, "key": "m2"},
        note="empty wallet: 409 with a Korean message",
    ),
]
