"""The member API for campaigns: join (참여하기) and claim a free coupon (받기); errors are JSON with
a stable code and a Korean message."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.ledger.checks import assert_books_balance
from mileage.walking.models import CampaignEntry, CouponPurchase

from .helpers import free_coupon, sponsor_budget, walk_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(walker) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(walker)
    return client


def test_join_by_api_once(api, walker):
    c = walk_campaign()
    first = api.post(f"/api/v1/walking/me/walk-campaigns/{c.slug}/join")
    again = api.post(f"/api/v1/walking/me/walk-campaigns/{c.slug}/join")
    assert first.status_code == 200 and first.json()["new"] is True
    assert again.json()["new"] is False
    assert CampaignEntry.objects.get(campaign=c).via == "api"


def test_unknown_campaign_is_a_json_404_in_korean(api):
    response = api.post("/api/v1/walking/me/walk-campaigns/nope/join")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "walking.campaign_unknown" and "찾을 수 없는 캠페인" in body["message"]


def test_claim_by_api_once_then_a_korean_409(api, walker):
    sponsor_budget(100_000)
    c = free_coupon()
    got = api.post(
        f"/api/v1/walking/me/coupons/{c.pk}/claim",
        {"key": "first"},
        content_type="application/json",
    )
    assert got.status_code == 200 and len(got.json()["code"]) == 10
    second = api.post(
        f"/api/v1/walking/me/coupons/{c.pk}/claim",
        {"key": "other"},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json()["code"] == "walking.coupon_already_claimed"
    assert "한 사람당 한 장" in second.json()["message"]
    assert CouponPurchase.objects.filter(member=walker).count() == 1
    assert_books_balance()
