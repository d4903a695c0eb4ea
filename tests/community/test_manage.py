"""The city defines team challenges in 프로그램 관리; bad input is refused next to the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mileage.community.models import TeamChallenge
from mileage.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Client:
    client = Client()
    client.force_login(factories.city_manager())
    return client


def form(**extra: object) -> dict[str, object]:
    today = dt.date.today()
    fields = {
        "title": "겨울 모임 걷기", "slug": "winter-team", "description": "", "sponsor": "",
        "goal_steps": "500000", "reward_mileage": "300", "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=14)).isoformat(),
    }  # fmt: skip
    fields.update(extra)
    return fields


def test_the_city_adds_a_team_challenge_paid_from_the_walking_budget(city) -> None:
    assert city.post("/city/programmes/team-challenges/new/", form()).status_code == 302
    ch = TeamChallenge.objects.get(slug="winter-team")
    assert (ch.goal_steps, ch.reward_mileage, ch.sponsor) == (500_000, 300, None)
    assert "겨울 모임 걷기" in city.get("/city/programmes/team-challenges/").content.decode()
    assert AuditEntry.objects.filter(action="programme.create").count() == 1


def test_a_zero_reward_or_dates_backwards_are_refused_and_nothing_saved(city) -> None:
    page = city.post("/city/programmes/team-challenges/new/", form(reward_mileage="0"))
    assert page.status_code == 400 and "0보다 커야 합니다" in page.content.decode()
    backwards = form(ends_on=(dt.date.today() - dt.timedelta(days=1)).isoformat())
    page = city.post("/city/programmes/team-challenges/new/", backwards)
    assert (
        page.status_code == 400 and "종료일은 시작일보다 빠를 수 없습니다" in page.content.decode()
    )
    assert not TeamChallenge.objects.exists()
