"""WALK-5: the challenges page only reads; pledges are paid by a POST action or the daily job /
Celery task, each idempotent (ledger key `walk:challenge:<id>:<member>`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.models import Challenge, ChallengeEntry
from mileage.walking.services.challenges import join_challenge
from mileage.walking.tasks import run_daily, settle_challenges_task
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _reached(walker, walkon) -> ChallengeEntry:
    today = timezone.localdate()
    ch = Challenge.objects.create(
        slug="sharing-walk",
        title="나눔 워킹 챌린지",
        sponsor=factories.partner("sponsor"),
        beneficiary="지역아동센터",
        target_steps=10_000,
        pledge_won=5_000,
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=5),
    )
    entry = join_challenge(walker, ch)
    steps(walker, today - dt.timedelta(days=1), 12_000, walkon)  # target reached
    return entry


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_walk5_challenges_page_get_writes_nothing_even_when_the_target_is_reached(walker, walkon):
    entry = _reached(walker, walkon)
    client = _client(walker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/walking/challenges/")
    assert page.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert writes == []
    entry.refresh_from_db()
    assert entry.completed_at is None
    assert not Transaction.objects.filter(key__startswith="walk:challenge:").exists()
    assert 'data-testid="challenge-settle"' in page.content.decode()  # offered, not done


def test_walk5_settle_post_pays_the_pledge_once(walker, walkon):
    entry = _reached(walker, walkon)
    client = _client(walker)
    first = client.post("/walking/challenges/sharing-walk/settle/", follow=True)
    assert "5,000원이 기부되었습니다" in first.content.decode()
    second = client.post("/walking/challenges/sharing-walk/settle/", follow=True)
    assert "이미 기부가 완료된" in second.content.decode()
    entry.refresh_from_db()
    assert entry.completed_at is not None
    assert ledger.balance(ledger.account("beneficiary", name="지역아동센터")) == 5_000
    assert Transaction.objects.filter(key__startswith="walk:challenge:").count() == 1
    assert "기부 완료" in client.get("/walking/challenges/").content.decode()
    assert_books_balance()


def test_walk5_settle_post_before_the_target_pays_nothing(walker, walkon):
    entry = _reached(walker, walkon)
    Challenge.objects.filter(pk=entry.challenge_id).update(target_steps=50_000)
    page = _client(walker).post("/walking/challenges/sharing-walk/settle/", follow=True)
    assert "아직 목표 걸음 수에 도달하지 않았습니다" in page.content.decode()
    assert not Transaction.objects.filter(key__startswith="walk:challenge:").exists()


def test_walk5_the_celery_task_and_the_daily_job_settle_idempotently(walker, walkon):
    _reached(walker, walkon)
    assert settle_challenges_task() == 1
    assert settle_challenges_task() == 0
    assert run_daily()["challenge_pledges"] == 0  # already paid: paid once
    assert Transaction.objects.filter(key__startswith="walk:challenge:").count() == 1
    assert_books_balance()
