"""Two settlements of the same team challenge at once on PostgreSQL pay each member once."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from mileage.community.models import CrewMembership, TeamChallenge, TeamEntry
from mileage.community.services import crews, team
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from tests.community.helpers import walk, walker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_settlements_at_once_pay_every_member_once() -> None:
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    c = TeamChallenge.objects.create(
        slug="race", title="동시 정산", goal_steps=1_000, reward_mileage=300,
        starts_on=start, ends_on=end,
    )  # fmt: skip
    people = [walker(f"race-{i}") for i in range(5)]
    crew = crews.create_crew(people[0], "경주 모임")
    for p in people[1:]:
        crews.join_crew(p, crew.code)
    joined = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    CrewMembership.objects.update(joined_at=joined)
    for p in people:
        walk(p, start, 1_000)
    team.take_challenge(people[0], crew, c, today=start)

    barrier, results = threading.Barrier(3), []

    def run() -> None:
        try:
            barrier.wait()
            results.append(team.settle_team_challenges(end + dt.timedelta(days=3)))
        except Exception as exc:  # the outcome under test
            results.append(exc)
        finally:
            connection.close()

    threads: list[Any] = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 5], results
    assert Transaction.objects.filter(key__startswith=f"walk:team:{c.pk}:").count() == 5
    assert all(ledger.balance(ledger.account("wallet", user=p)) == 300 for p in people)
    assert TeamEntry.objects.get().rewarded_members == 5
    assert_books_balance()
