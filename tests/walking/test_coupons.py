"""WALK-6: coupons bought with mileage; stock never oversold; redeemed once by the issuer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import InsufficientMileage
from mileage.walking.errors import CouponAlreadyRedeemed, CouponExpired, CouponUnknown, SoldOut
from mileage.walking.models import Coupon, CouponPurchase
from mileage.walking.services.coupons import buy_coupon, redeem_coupon
from tests import factories

from .helpers import coupon, fund_wallet

pytestmark = pytest.mark.django_db


def test_walk6_buying_a_coupon_moves_mileage_wallet_to_merchant(walker):
    fund_wallet(walker, 1_000)
    c = coupon(stock=3, price=400)
    purchase = buy_coupon(walker, c.pk)
    assert ledger.balance(ledger.account("wallet", user=walker)) == 600
    assert ledger.balance(ledger.account("merchant", partner=c.merchant)) == 400
    c.refresh_from_db()
    assert (c.sold, c.remaining) == (1, 2)
    assert len(purchase.code) == 10
    assert_books_balance()


def test_walk6_not_enough_mileage_takes_no_stock(walker):
    fund_wallet(walker, 100)
    c = coupon(stock=1, price=400)
    with pytest.raises(InsufficientMileage):
        buy_coupon(walker, c.pk)
    c.refresh_from_db()
    assert c.sold == 0 and CouponPurchase.objects.count() == 0
    assert_books_balance()


def test_walk6_stock_runs_out(walker):
    fund_wallet(walker, 5_000)
    c = coupon(stock=2, price=100)
    buy_coupon(walker, c.pk)
    buy_coupon(walker, c.pk)
    with pytest.raises(SoldOut):
        buy_coupon(walker, c.pk)
    assert ledger.balance(ledger.account("wallet", user=walker)) == 4_800
    assert_books_balance()


def test_walk6_expired_coupons_cannot_be_bought(walker):
    fund_wallet(walker, 5_000)
    c = coupon(expires_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(CouponExpired):
        buy_coupon(walker, c.pk)


def test_walk6_the_issuing_merchant_redeems_once(walker):
    fund_wallet(walker, 1_000)
    purchase = buy_coupon(walker, coupon().pk)
    merchant = factories.partner("merchant")
    assert redeem_coupon(merchant, purchase.code.lower()).redeemed_at is not None
    with pytest.raises(CouponAlreadyRedeemed):
        redeem_coupon(merchant, purchase.code)


def test_walk6_another_merchant_cannot_redeem_the_code(walker):
    fund_wallet(walker, 1_000)
    purchase = buy_coupon(walker, coupon().pk)
    from mileage.partners.models import Partner, PartnerKind

    other = Partner.objects.create(slug="other-shop", name="다른 가게", kind=PartnerKind.MERCHANT)
    with pytest.raises(CouponUnknown):
        redeem_coupon(other, purchase.code)
    assert CouponPurchase.objects.get(pk=purchase.pk).redeemed_at is None


def test_walk6_redeem_api_once_then_409(client, walker):
    fund_wallet(walker, 1_000)
    purchase = buy_coupon(walker, coupon().pk)
    _, token = factories.api_key("merchant")
    url = "/api/v1/walking/coupons/redeem"
    r1 = client.post(
        url,
        {"code": purchase.code, "key": "r1"},
        content_type="application/json",
        HTTP_X_API_KEY=token,
    )
    r2 = client.post(  # another request (another key) for the same code
        url,
        {"code": purchase.code, "key": "r2"},
        content_type="application/json",
        HTTP_X_API_KEY=token,
    )
    assert r1.status_code == 200 and r1.json()["code"] == purchase.code
    assert r2.status_code == 409 and r2.json()["code"] == "walking.coupon_already_redeemed"
    _, app_token = factories.api_key("walking_app")
    r3 = client.post(
        url,
        {"code": purchase.code, "key": "r3"},
        content_type="application/json",
        HTTP_X_API_KEY=app_token,
    )
    assert r3.status_code == 403


def test_walk6_buy_page_flow(client, walker):
    fund_wallet(walker, 1_000)
    c = coupon(price=300)
    client.force_login(walker)
    r = client.post(f"/walking/coupons/{c.pk}/buy/", {"key": "c" * 32}, follow=True)
    assert r.status_code == 200
    code = CouponPurchase.objects.get().code
    assert code in r.content.decode()
    assert Coupon.objects.get(pk=c.pk).sold == 1
