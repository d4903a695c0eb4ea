"""Small builders for walking tests (real rows, real ledger; no mocks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.partners.models import Partner
from mileage.walking.models import Coupon, DonationCampaign
from mileage.walking.services.feed import upsert_reports
from tests import factories


def steps(member: Any, on: dt.date, count: int, source: Partner) -> None:
    upsert_reports(source.pk, [(member.pk, on, count)], timezone.now())


def campaign(
    budget_won: int = 1_000_000, *, slug: str = "seoul-walk", **extra: Any
) -> DonationCampaign:
    today = timezone.localdate()
    fields = {
        "title": "홀몸 어르신께 건강 선물",
        "sponsor": factories.partner("sponsor"),
        "beneficiary": "사회적기업 건강한동행",
        "rate_won_per_km": 100,
        "budget_won": budget_won,
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=30),
    }
    fields.update(extra)
    return DonationCampaign.objects.create(slug=slug, **fields)


def coupon(stock: int = 10, price: int = 500, **extra: Any) -> Coupon:
    fields = {
        "merchant": factories.partner("merchant"),
        "title": "아메리카노 1잔",
        "price_mileage": price,
        "stock": stock,
        "expires_on": timezone.localdate() + dt.timedelta(days=30),
    }
    fields.update(extra)
    return Coupon.objects.create(**fields)


def fund_wallet(member: Any, amount: int, key: str = "test:fund") -> None:
    """Mileage for a test member, paid from the walk budget through the ledger."""
    ledger.transfer(
        f"{key}:{member.pk}",
        ledger.account("budget", programme="walk"),
        ledger.account("wallet", user=member),
        amount,
        kind="award",
        memo="테스트 적립",
    )


def walk_campaign(slug: str = "walk-day", **extra: Any) -> Any:
    """A walking campaign (걷기의 날 style: the 11th of each month unless `day_of_month`)."""
    from mileage.walking.models import WalkCampaign

    today = timezone.localdate()
    fields = {
        "title": "걷기의 날",
        "starts_on": today - dt.timedelta(days=90),
        "ends_on": today + dt.timedelta(days=90),
        "day_of_month": 11,
    }
    fields.update(extra)
    return WalkCampaign.objects.create(slug=slug, **fields)


def sponsor_budget(budget_won: int, which: str = "sponsor") -> Any:
    from mileage.walking.models import SponsorBudget

    found, _ = SponsorBudget.objects.update_or_create(
        sponsor=factories.partner(which), defaults={"budget_won": budget_won}
    )
    return found


def free_coupon(stock: int = 10, face_value_won: int = 3_000, **extra: Any) -> Coupon:
    """A sponsor-funded coupon (price 0, 받기)."""
    extra.setdefault("sponsor", factories.partner("sponsor"))
    return coupon(stock=stock, price=0, face_value_won=face_value_won, **extra)
