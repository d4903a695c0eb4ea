"""WALK-5: challenges pay the sponsor's pledge once per member; events count sign-ups and check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import ChallengeClosed, EventFull, NotRegistered, WalkingError
from mileage.walking.models import Challenge, Event
from mileage.walking.services.challenges import join_challenge, settle_challenges, settle_entry
from mileage.walking.services.events import check_in, register
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db


def _challenge(target: int = 20_000) -> Challenge:
    today = timezone.localdate()
    return Challenge.objects.create(
        slug="samsung-sharing-walk",
        title="나눔 워킹 챌린지",
        sponsor=factories.partner("sponsor"),
        beneficiary="지역아동센터",
        target_steps=target,
        pledge_won=5_000,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
    )


def test_walk5_reaching_the_target_pays_the_pledge_once(walker, walkon, bigwalk):
    ch = _challenge()
    entry = join_challenge(walker, ch)
    today = timezone.localdate()
    steps(walker, today - dt.timedelta(days=2), 12_000, walkon)
    steps(walker, today - dt.timedelta(days=2), 15_000, bigwalk)  # counts 15,000 (WALK-1)
    assert settle_entry(entry) is False  # 15,000 < 20,000
    steps(walker, today - dt.timedelta(days=1), 5_000, walkon)
    assert settle_entry(entry) is True
    assert settle_entry(entry) is False
    assert settle_challenges() == 0
    assert ledger.balance(ledger.account("beneficiary", name="지역아동센터")) == 5_000
    assert Transaction.objects.filter(key__startswith="walk:challenge:").count() == 1
    assert_books_balance()


def test_walk5_steps_before_the_challenge_do_not_count(walker, walkon):
    ch = _challenge()
    entry = join_challenge(walker, ch)
    steps(walker, ch.starts_on - dt.timedelta(days=1), 30_000, walkon)
    assert settle_challenges() == 0 and settle_entry(entry) is False


def test_walk5_the_batch_settles_every_member_who_reached_it(walker, walkon):
    ch = _challenge(target=10_000)
    other = factories.jung_citizen()
    for p in (walker, other):
        join_challenge(p, ch)
        steps(p, timezone.localdate() - dt.timedelta(days=1), 10_000, walkon)
    assert settle_challenges() == 2
    assert settle_challenges() == 0
    assert_books_balance()


def test_walk5_a_finished_challenge_cannot_be_joined(walker):
    ch = _challenge()
    with pytest.raises(ChallengeClosed):
        join_challenge(walker, ch, today=ch.ends_on + dt.timedelta(days=1))


def test_walk5_events_count_registrations_and_check_ins(walker):
    today = timezone.localdate()
    e = Event.objects.create(slug="commute", title="걸어서 출근한데이", on=today, capacity=2)
    other = factories.jung_citizen()
    register(walker, e.pk)
    register(walker, e.pk)  # twice is once
    register(other, e.pk)
    with pytest.raises(EventFull):
        register(factories.person("third-walker"), e.pk)
    check_in(walker, e.pk)
    assert e.registrations.count() == 2
    assert e.registrations.exclude(checked_in_at=None).count() == 1


def test_walk5_check_in_needs_registration_and_the_event_day(walker):
    today = timezone.localdate()
    e = Event.objects.create(
        slug="palace", title="나라사랑 고궁 걷기", on=today + dt.timedelta(days=3)
    )
    with pytest.raises(NotRegistered):
        check_in(walker, e.pk)
    register(walker, e.pk)
    with pytest.raises(WalkingError):
        check_in(walker, e.pk)  # not the event day yet
    assert check_in(walker, e.pk, today=e.on).checked_in_at is not None


def test_walk5_events_page_shows_counts(client, walker):
    e = Event.objects.create(slug="commute", title="걸어서 출근한데이", on=timezone.localdate())
    register(walker, e.pk)
    page = client.get("/walking/events/").content.decode()
    assert "걸어서 출근한데이" in page and "신청 1명" in page
