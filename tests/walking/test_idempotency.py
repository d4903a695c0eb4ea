"""Idempotency keys where walking moves money (issue #13, finding 7): a coupon purchase, a step
donation and a redemption run once per key, on the API and on the pages; the same key answers
the first answer and charges nothing more; no key on the API is 428 in Korean."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import IdempotentResponse
from mileage.walking.models import Coupon, CouponPurchase, StepDonation
from mileage.walking.services.coupons import buy_coupon
from tests import factories

from .helpers import campaign, coupon, fund_wallet, steps

pytestmark = pytest.mark.django_db


def _member(walker) -> Client:
    client = Client()
    client.force_login(walker)
    return client


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def test_walk6_coupon_bought_twice_with_one_key_is_charged_once(walker) -> None:
    fund_wallet(walker, 2_000)
    c = coupon(price=500)
    client = _member(walker)
    url = f"/api/v1/walking/me/coupons/{c.pk}/buy"
    first = client.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="buy-1")
    again = client.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="buy-1")
    assert first.status_code == again.status_code == 200, first.content
    assert first.json() == again.json()
    assert CouponPurchase.objects.count() == 1 and Coupon.objects.get(pk=c.pk).sold == 1
    assert _wallet(walker) == 1_500
    other = client.post(url, {"key": "buy-2"}, content_type="application/json")
    assert other.status_code == 200 and other.json()["id"] != first.json()["id"]
    assert _wallet(walker) == 1_000
    assert_books_balance()


def test_walk6_coupon_buy_without_a_key_is_428_in_korean(walker) -> None:
    fund_wallet(walker, 2_000)
    c = coupon(price=500)
    answer = _member(walker).post(
        f"/api/v1/walking/me/coupons/{c.pk}/buy", content_type="application/json"
    )
    assert answer.status_code == 428
    assert answer.json()["code"] == "request.idempotency_key_required"
    assert "Idempotency-Key" in answer.json()["message"]
    assert not CouponPurchase.objects.exists() and _wallet(walker) == 2_000


def test_the_same_key_for_another_request_is_refused(walker) -> None:
    fund_wallet(walker, 2_000)
    first, second = coupon(price=500), coupon(price=700)
    client = _member(walker)
    ok = client.post(f"/api/v1/walking/me/coupons/{first.pk}/buy", {"key": "k"}, "application/json")
    assert ok.status_code == 200
    clash = client.post(
        f"/api/v1/walking/me/coupons/{second.pk}/buy", {"key": "k"}, "application/json"
    )
    assert clash.status_code == 409 and clash.json()["code"] == "ledger.idempotency_conflict"
    assert CouponPurchase.objects.count() == 1 and _wallet(walker) == 1_500


def test_header_and_field_must_agree_and_keys_have_a_shape(walker) -> None:
    c = coupon(price=500)
    client = _member(walker)
    url = f"/api/v1/walking/me/coupons/{c.pk}/buy"
    differ = client.post(url, {"key": "a"}, "application/json", HTTP_IDEMPOTENCY_KEY="b")
    assert differ.status_code == 422
    assert differ.json()["code"] == "request.idempotency_keys_differ"
    bad = client.post(url, {}, "application/json", HTTP_IDEMPOTENCY_KEY="키\x01")
    assert bad.status_code == 422
    assert not IdempotentResponse.objects.exists()


def test_a_refused_purchase_stores_nothing_and_may_be_retried_with_its_key(walker) -> None:
    c = coupon(price=500)
    client = _member(walker)
    url = f"/api/v1/walking/me/coupons/{c.pk}/buy"
    short = client.post(url, {"key": "retry"}, "application/json")
    assert short.status_code == 409 and short.json()["code"] == "ledger.insufficient_mileage"
    assert not IdempotentResponse.objects.exists()
    fund_wallet(walker, 500)
    assert client.post(url, {"key": "retry"}, "application/json").status_code == 200
    assert _wallet(walker) == 0


def test_walk6_buy_page_posted_twice_with_its_key_is_charged_once(walker) -> None:
    fund_wallet(walker, 2_000)
    c = coupon(price=500)
    client = _member(walker)
    page = client.get("/walking/coupons/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]
    for _ in range(2):
        done = client.post(f"/walking/coupons/{c.pk}/buy/", {"key": key}, follow=True)
        assert done.status_code == 200
    assert CouponPurchase.objects.count() == 1 and _wallet(walker) == 1_500
    code = CouponPurchase.objects.get().code
    assert code in done.content.decode()
    refused = client.post(f"/walking/coupons/{c.pk}/buy/")  # a form without its key
    assert refused.status_code == 400 and CouponPurchase.objects.count() == 1


def test_walk4_step_donation_repeated_with_one_key_answers_the_first_gift(
    walker, walkon, today
) -> None:
    steps(walker, today, 8_000, walkon)
    c = campaign()
    client = _member(walker)
    url = f"/api/v1/walking/me/campaigns/{c.slug}/donate"
    first = client.post(url, {"steps": 5_000, "key": "gift-1"}, "application/json")
    again = client.post(url, {"steps": 5_000, "key": "gift-1"}, "application/json")
    assert first.status_code == again.status_code == 200, first.content
    assert first.json() == again.json() and StepDonation.objects.count() == 1
    refused = client.post(url, {"steps": True, "key": "gift-2"}, "application/json")
    assert refused.status_code == 422
    page = client.get(f"/walking/campaigns/{c.slug}/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]
    for _ in range(2):
        client.post(f"/walking/campaigns/{c.slug}/donate/", {"steps": "1000", "key": key})
    assert StepDonation.objects.count() == 2
    assert_books_balance()


def test_walk6_redeem_repeated_with_one_key_answers_the_first_redemption(walker) -> None:
    fund_wallet(walker, 1_000)
    purchase = buy_coupon(walker, coupon().pk)
    _, token = factories.api_key("merchant")
    shop = Client(headers={"X-API-Key": token, "Idempotency-Key": "counter-7"})
    url = "/api/v1/walking/coupons/redeem"
    first = shop.post(url, {"code": purchase.code}, "application/json")
    again = shop.post(url, {"code": purchase.code}, "application/json")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    later = Client(headers={"X-API-Key": token, "Idempotency-Key": "counter-8"})
    assert later.post(url, {"code": purchase.code}, "application/json").status_code == 409
