"""Authorization matrix rows for the citizen's wallet pages (/wallet/): members only."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.platform.matrix import Row, expect

# Citizen-only pages: sign-in redirect for the anonymous and key-only clients, 403 for others.
CITIZEN_PAGE = expect(anonymous=302, keys=302, people=403, citizen=200)

CASES: list[Row] = [
    Row("GET", "/wallet/", CITIZEN_PAGE),
    Row("GET", "/wallet/history.csv", CITIZEN_PAGE),
]


def _use_of(member: Any) -> int:
    """A confirmed 서울사랑상품권 use of `member` (funded first); its id."""
    from mileage.ledger import services as ledger
    from mileage.ledger import uses
    from mileage.ledger.catalogue import ensure_catalogue
    from mileage.ledger.models import UseOption

    ensure_catalogue()
    wallet = ledger.account("wallet", user=member)
    budget = ledger.account("budget", programme="eco-car")
    ledger.transfer(
        f"matrix:wallet-fund:{member.pk}", budget, wallet, 10000, kind="award", memo="적립"
    )
    option = UseOption.objects.get(slug="seoul-love-gift-certificate")
    return uses.request_use(member, option, 10000, "010-1234-5678", key=f"matrix:{member.pk}").pk


CASES += [
    Row("GET", "/wallet/use/", CITIZEN_PAGE),
    Row("GET", "/wallet/use/seoul-love-gift-certificate/", CITIZEN_PAGE),
    Row(
        "POST",
        "/wallet/use/seoul-love-gift-certificate/",
        expect(anonymous=302, keys=302, people=403, citizen=400),
        form={"amount": "10000", "reference": "010-1234-5678"},
        note="the matrix citizen's wallet is empty: the form answers 잔액 부족 next to the field",
    ),
    Row(
        "POST",
        "/wallet/use/seoul-love-gift-certificate/confirm/",
        expect(anonymous=302, keys=302, people=403, citizen=400),
        form={"amount": "10000", "reference": "010-1234-5678", "key": "0" * 32},
    ),
    Row(
        "GET",
        "/wallet/use/seoul-love-gift-certificate/confirm/",
        expect(405),
        note="the confirmation is a POST from the confirmation page only",
    ),
    Row(
        "GET",
        "/wallet/use/{gift_use}/",
        expect(anonymous=302, keys=302, people=403, citizen=200),
        setup=lambda w: {"gift_use": _use_of(w["mapo_citizen"])},
    ),
    Row(
        "GET",
        "/wallet/use/{other_use}/",
        expect(anonymous=302, keys=302, people=403, citizen=404),
        setup=lambda w: {"other_use": _use_of(factories.jung_citizen())},
        note="another member's receipt is not found",
    ),
]
