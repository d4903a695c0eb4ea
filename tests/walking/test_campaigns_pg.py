"""Campaign rewards and free coupons under concurrency on PostgreSQL: two reward runs at once pay
each participant once; concurrent claims exceed neither the stock, nor the sponsor's budget, nor
one coupon per member."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import CouponAlreadyClaimed, SoldOut, SponsorBudgetExhausted
from mileage.walking.models import (
    CampaignEntry,
    CampaignReward,
    Coupon,
    CouponPurchase,
    SponsorBudget,
)
from mileage.walking.services.campaigns import reward_day
from mileage.walking.services.coupons import claim_free_coupon
from tests import factories

from .helpers import free_coupon, sponsor_budget, steps, walk_campaign
from .test_concurrency_pg import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_reward_runs_at_once_pay_each_participant_once():
    day = timezone.localdate() - dt.timedelta(days=1)
    app = factories.partner("walking_app")
    c = walk_campaign(day_of_month=day.day, reward_min_steps=5_000, reward_mileage=250)
    people = [factories.person(f"walker-{i}") for i in range(6)]
    for p in people:
        CampaignEntry.objects.create(campaign=c, member=p)
        steps(p, day, 6_000, app)
    CampaignEntry.objects.update(joined_at=timezone.now() - dt.timedelta(days=3))
    results = _race([lambda: reward_day(c.pk, day), lambda: reward_day(c.pk, day)])
    assert sorted(results) == [0, 6]
    assert CampaignReward.objects.count() == 6
    assert Transaction.objects.filter(key__startswith=f"walk:campaign:{c.pk}:").count() == 6
    assert_books_balance()


def test_concurrent_claims_never_exceed_stock():
    sponsor_budget(1_000_000)
    c = free_coupon(stock=3, face_value_won=1_000)
    people = [factories.person(f"claimer-{i}") for i in range(8)]
    results = _race([lambda p=p: claim_free_coupon(p, c.pk) for p in people])
    assert sum(isinstance(r, CouponPurchase) for r in results) == 3
    assert all(isinstance(r, (CouponPurchase, SoldOut)) for r in results)
    assert Coupon.objects.get(pk=c.pk).sold == 3
    assert SponsorBudget.objects.get().spent_won == 3_000
    assert_books_balance()


def test_concurrent_claims_never_exceed_the_sponsors_budget():
    sponsor_budget(2_500)
    c = free_coupon(stock=100, face_value_won=1_000)
    people = [factories.person(f"claimer-{i}") for i in range(6)]
    results = _race([lambda p=p: claim_free_coupon(p, c.pk) for p in people])
    assert sum(isinstance(r, CouponPurchase) for r in results) == 2
    assert all(isinstance(r, (CouponPurchase, SponsorBudgetExhausted)) for r in results)
    assert SponsorBudget.objects.get().spent_won == 2_000
    assert Coupon.objects.get(pk=c.pk).sold == 2
    assert_books_balance()


def test_one_member_claiming_twice_at_once_gets_one_coupon():
    sponsor_budget(100_000)
    c = free_coupon(stock=10)
    member = factories.person("double-clicker")
    results = _race([lambda: claim_free_coupon(member, c.pk) for _ in range(4)])
    assert sum(isinstance(r, CouponPurchase) for r in results) == 1
    assert all(isinstance(r, (CouponPurchase, CouponAlreadyClaimed)) for r in results)
    assert CouponPurchase.objects.filter(member=member).count() == 1
    assert SponsorBudget.objects.get().spent_won == 3_000
    assert_books_balance()
