"""WALK-4 / WALK-6 under concurrent requests on PostgreSQL: the donation budget is never exceeded,
a step is donated once even from two sessions, and coupon stock is never oversold."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.walking.errors import BudgetExhausted, NothingToDonate, SoldOut
from mileage.walking.models import Coupon, CouponPurchase, DonationCampaign, StepDonation
from mileage.walking.services.coupons import buy_coupon
from mileage.walking.services.donations import donate_steps
from tests import factories

from .helpers import campaign, coupon, fund_wallet, steps

pytestmark = [
    pytest.mark.postgres,
    # Reference data (districts, courses) is re-seeded by tests/conftest.py's _reference_data;
    # serialized_rollback would clash with content types after another transactional test.
    pytest.mark.django_db(transaction=True),
]


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released together; each returns its result or its exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _walkers(n: int) -> list[Any]:
    app = factories.partner("walking_app")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    people = [factories.person(f"walker-{i}") for i in range(n)]
    for p in people:
        steps(p, yesterday, 10_000, app)  # 7 km → 700 won each
    return people


def test_walk4_concurrent_donations_never_exceed_the_budget():
    c = campaign(budget_won=1_000)
    people = _walkers(8)
    results = _race([lambda p=p: donate_steps(p, c.pk) for p in people])
    gifts = [r for r in results if isinstance(r, StepDonation)]
    refused = [r for r in results if isinstance(r, BudgetExhausted)]
    assert len(gifts) + len(refused) == 8, results
    c.refresh_from_db()
    assert c.spent_won == sum(g.won for g in gifts) <= 1_000
    assert c.spent_won >= 999  # the second gift is cut to what is left, not refused
    assert ledger.balance(ledger.account("beneficiary", name=c.beneficiary)) == c.spent_won
    assert_books_balance()


def test_walk4_one_member_donating_from_two_sessions_gives_each_step_once():
    c = campaign()
    (person,) = _walkers(1)
    results = _race([lambda: donate_steps(person, c.pk) for _ in range(4)])
    gifts = [r for r in results if isinstance(r, StepDonation)]
    assert len(gifts) == 1, results
    assert all(isinstance(r, NothingToDonate) for r in results if r not in gifts)
    c.refresh_from_db()
    assert (c.donated_steps, c.donors) == (10_000, 1)
    assert_books_balance()


def test_walk6_concurrent_purchases_never_oversell_the_stock():
    offer = coupon(stock=5, price=100)
    people = [factories.person(f"buyer-{i}") for i in range(12)]
    for p in people:
        fund_wallet(p, 1_000)
    results = _race([lambda p=p: buy_coupon(p, offer.pk) for p in people])
    bought = [r for r in results if isinstance(r, CouponPurchase)]
    sold_out = [r for r in results if isinstance(r, SoldOut)]
    assert (len(bought), len(sold_out)) == (5, 7), results
    assert Coupon.objects.get(pk=offer.pk).sold == 5 == CouponPurchase.objects.count()
    assert ledger.balance(ledger.account("merchant", partner=offer.merchant)) == 500
    assert_books_balance()


def test_walk4_campaign_totals_stay_consistent_with_gifts():
    c = campaign(budget_won=10_000_000)
    people = _walkers(6)
    _race([lambda p=p: donate_steps(p, c.pk) for p in people])
    c.refresh_from_db()
    gifts = StepDonation.objects.filter(campaign=c)
    assert c.donated_steps == sum(g.steps for g in gifts) == 60_000
    assert c.donors == 6 and DonationCampaign.objects.get(pk=c.pk).spent_won == 4_200
