"""Authorization matrix rows for the community pages (issue #11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mileage.community.models import TeamChallenge
from mileage.community.services import crews, profiles
from tests import factories
from tests.platform.matrix import Row, expect

CITIZEN_PAGE = expect(anonymous=302, keys=302, people=403, citizen=200)
CITIZEN_POST = expect(anonymous=302, keys=302, people=403, citizen=302)


def _crew(w: Any) -> dict[str, Any]:
    """A crew the Mapo citizen belongs to, and an open team challenge."""
    member = w["mapo_citizen"]
    found = crews.crews_of(member).first()
    if found is None:
        if profiles.profile_of(member) is None:
            profiles.set_nickname(member, "매트릭스")
        found = crews.create_crew(member, "매트릭스 모임")
    today = timezone.localdate()
    ch, _ = TeamChallenge.objects.get_or_create(
        slug="matrix-team",
        defaults={"title": "팀", "goal_steps": 10, "reward_mileage": 1,
                  "starts_on": today, "ends_on": today + dt.timedelta(days=3)},
    )  # fmt: skip
    return {"crew": found.pk, "team": ch.slug}


def _other_crew(w: Any) -> dict[str, Any]:
    owner = factories.person("matrix-owner")
    found = crews.crews_of(owner).first() or crews.create_crew(owner, "남의 모임")
    return {"other_crew": found.pk}


CASES: list[Row] = [
    Row("GET", "/walking/crews/", CITIZEN_PAGE),
    Row("GET", "/walking/crews/new/", CITIZEN_PAGE),
    Row("POST", "/walking/crews/new/", expect(anonymous=302, keys=302, people=403, citizen=400),
        form={"name": "", "nickname": ""}, note="an empty name is refused next to the field"),
    Row("GET", "/walking/crews/join/", CITIZEN_PAGE),
    Row("POST", "/walking/crews/join/", expect(anonymous=302, keys=302, people=403, citizen=404),
        form={"code": "ZZZZZZZZ", "nickname": "매트릭스"}, note="no crew has this code"),
    Row("GET", "/walking/crews/{crew}/", CITIZEN_PAGE, setup=_crew),
    Row("GET", "/walking/crews/{other_crew}/",
        expect(anonymous=302, keys=302, people=403, citizen=404), setup=_other_crew,
        note="another crew's page is a 404 for a non-member"),
    Row("POST", "/walking/crews/{crew}/challenges/{team}/take/", CITIZEN_POST, setup=_crew),
    Row("POST", "/walking/crews/{crew}/leave/", CITIZEN_POST, setup=_crew),
    Row("GET", "/walking/rankings/", CITIZEN_PAGE),
    Row("POST", "/walking/rankings/profile/", CITIZEN_POST, form={"nickname": ""}),
    Row("GET", "/walking/districts/", expect(200), note="public: totals that name nobody"),
]  # fmt: skip
