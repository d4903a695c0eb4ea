"""WALK-5 [interp] on PostgreSQL: finishers settling at the same moment never take more than the
first-come places, and one member settling twice at once is rewarded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.models import Challenge, ChallengeEntry
from mileage.walking.services.challenges import join_challenge, settle_entry
from tests import factories

from .helpers import steps
from .test_concurrency_pg import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _finishers(n: int, places: int) -> tuple[Challenge, list[ChallengeEntry]]:
    today = timezone.localdate()
    app = factories.partner("walking_app")
    ch = Challenge.objects.create(
        slug="first-come", title="선착순 만보", goal=Challenge.Goal.TOTAL, target_steps=10_000,
        reward_mileage=1_000, reward_mode=Challenge.RewardMode.FIRST, reward_places=places,
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3),
    )  # fmt: skip
    entries = []
    for i in range(n):
        member = factories.person(f"finisher-{i}")
        steps(member, today - dt.timedelta(days=1), 10_000, app)
        entries.append(join_challenge(member, ch))
    return ch, entries


def test_concurrent_finishers_never_exceed_the_first_come_places():
    ch, entries = _finishers(8, places=3)
    results = _race(
        [lambda e=e: settle_entry(ChallengeEntry.objects.get(pk=e.pk)) for e in entries]
    )
    assert results == [True] * 8, results  # everyone finishes
    ch.refresh_from_db()
    assert ch.rewards_paid == 3
    assert ChallengeEntry.objects.filter(reward_mileage=1_000).count() == 3
    assert Transaction.objects.filter(key__startswith=f"walk:reward:{ch.pk}:").count() == 3
    rewarded = sum(ledger.balance(ledger.account("wallet", user=e.member_id)) for e in entries)
    assert rewarded == 3_000
    assert_books_balance()


def test_one_member_settling_twice_at_once_is_rewarded_once():
    ch, (entry,) = _finishers(1, places=5)
    results = _race([lambda: settle_entry(ChallengeEntry.objects.get(pk=entry.pk))] * 3)
    assert sorted(results) == [False, False, True], results
    ch.refresh_from_db()
    assert ch.rewards_paid == 1
    assert ledger.balance(ledger.account("wallet", user=entry.member_id)) == 1_000
