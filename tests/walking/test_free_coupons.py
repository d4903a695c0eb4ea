"""Free sponsor coupons (받기): price 0 only with a sponsor, one per member (also in the database),
the sponsor's budget pays the merchant's face value at the claim and is never exceeded."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.walking.errors import (
    CouponAlreadyClaimed,
    NotParticipant,
    SoldOut,
    SponsorBudgetExhausted,
    WrongCouponKind,
)
from mileage.walking.models import Coupon, CouponPurchase, SponsorBudget
from mileage.walking.services.campaigns import join_campaign
from mileage.walking.services.coupons import buy_coupon, claim_free_coupon, redeem_coupon
from tests import factories

from .helpers import coupon, free_coupon, fund_wallet, sponsor_budget, walk_campaign

pytestmark = pytest.mark.django_db


def test_price_zero_needs_a_sponsor_at_the_database_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        coupon(price=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        coupon(price=0, sponsor=factories.partner("sponsor"))  # no face value
    assert free_coupon().free


def test_claiming_a_free_coupon_costs_the_member_nothing_and_the_sponsor_pays(walker):
    sponsor_budget(10_000)
    c = free_coupon(face_value_won=3_000)
    got = claim_free_coupon(walker, c.pk)
    assert got.free and len(got.code) == 10
    assert ledger.balance(ledger.account("wallet", user=walker)) == 0
    assert ledger.balance(ledger.account("merchant", partner=c.merchant)) == 3_000
    assert ledger.balance(ledger.account("sponsor", partner=c.sponsor)) == -3_000
    assert SponsorBudget.objects.get().spent_won == 3_000
    c.refresh_from_db()
    assert c.sold == 1
    assert redeem_coupon(c.merchant, got.code).redeemed_at is not None
    assert_books_balance()


def test_a_second_claim_by_the_same_member_is_refused_in_korean(walker):
    sponsor_budget(10_000)
    c = free_coupon()
    claim_free_coupon(walker, c.pk)
    with pytest.raises(CouponAlreadyClaimed) as refused:
        claim_free_coupon(walker, c.pk)
    assert "한 사람당 한 장" in refused.value.message
    assert CouponPurchase.objects.count() == 1
    assert SponsorBudget.objects.get().spent_won == 3_000
    assert_books_balance()


def test_one_free_coupon_per_member_is_unique_in_the_database(walker):
    c = free_coupon()
    CouponPurchase.objects.create(coupon=c, member=walker, free=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouponPurchase.objects.create(coupon=c, member=walker, free=True)


def test_budget_exhausted_refuses_and_takes_no_stock(walker):
    sponsor_budget(5_000)
    c = free_coupon(face_value_won=3_000)
    claim_free_coupon(factories.jung_citizen(), c.pk)
    with pytest.raises(SponsorBudgetExhausted) as refused:
        claim_free_coupon(walker, c.pk)
    assert "예산" in refused.value.message
    c.refresh_from_db()
    assert c.sold == 1 and SponsorBudget.objects.get().spent_won == 3_000
    assert_books_balance()


def test_a_sponsor_without_a_budget_cannot_give(walker):
    c = free_coupon()
    with pytest.raises(SponsorBudgetExhausted):
        claim_free_coupon(walker, c.pk)


def test_stock_runs_out(walker):
    sponsor_budget(100_000)
    c = free_coupon(stock=1)
    claim_free_coupon(factories.jung_citizen(), c.pk)
    with pytest.raises(SoldOut):
        claim_free_coupon(walker, c.pk)


def test_free_and_priced_coupons_are_not_mixed_up(walker):
    sponsor_budget(100_000)
    fund_wallet(walker, 1_000)
    with pytest.raises(WrongCouponKind):
        buy_coupon(walker, free_coupon().pk)
    with pytest.raises(WrongCouponKind):
        claim_free_coupon(walker, coupon(price=100).pk)
    assert_books_balance()


def test_a_campaigns_free_coupon_is_for_its_participants_only(walker):
    sponsor_budget(100_000)
    c = walk_campaign(sponsor=factories.partner("sponsor"))
    offer = free_coupon(campaign=c)
    with pytest.raises(NotParticipant):
        claim_free_coupon(walker, offer.pk)
    join_campaign(walker, c)
    assert claim_free_coupon(walker, offer.pk).coupon == offer
    assert Coupon.objects.get(pk=offer.pk).sold == 1
    assert_books_balance()
