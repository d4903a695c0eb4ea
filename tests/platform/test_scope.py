"""Scope: an official of one district never sees another district's people (also via the API)."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.accounts import scope
from mileage.accounts.districts import JUNG, MAPO, district
from mileage.accounts.models import District
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_25_districts_are_seeded_with_official_codes() -> None:
    assert District.objects.count() == 25
    assert district("11110").name_ko == "종로구"
    assert district("강동구").code == "11740"
    assert district(MAPO).name_ko == "마포구"
    assert district(JUNG).name_ko == "중구"


def test_role_predicates() -> None:
    citizen, official, city = (
        factories.mapo_citizen(),
        factories.mapo_official(),
        factories.city_manager(),
    )
    partner = factories.partner_user("insurer")
    assert scope.is_citizen(citizen) and not scope.is_official(citizen)
    assert scope.is_official(official) and scope.official_district(official).code == MAPO
    assert scope.is_city(city) and scope.official_district(city) is None
    assert scope.partner_of(partner).slug == "hanwha" and scope.partner_of(citizen) is None
    official.is_active = False
    assert not scope.is_official(official)


def test_officials_see_only_their_own_district() -> None:
    mapo_people = {factories.mapo_citizen(), factories.mapo_official()}
    jung = factories.jung_official()
    factories.jung_citizen()
    visible = set(scope.users_visible_to(factories.mapo_official()))
    assert mapo_people <= visible and jung not in visible
    assert all(u.district.code == MAPO for u in visible)
    assert list(scope.districts_managed_by(jung)) == [district(JUNG)]
    assert scope.districts_managed_by(factories.city_manager()).count() == 25
    assert not scope.districts_managed_by(factories.mapo_citizen()).exists()


def test_citizens_see_only_themselves() -> None:
    citizen = factories.mapo_citizen()
    factories.mapo_official()
    assert list(scope.users_visible_to(citizen)) == [citizen]


def test_jung_official_cannot_read_mapo_officials_by_api_or_page() -> None:
    factories.mapo_official()
    client = Client()
    client.force_login(factories.jung_official())
    assert client.get(f"/api/v1/districts/{MAPO}/officials").status_code == 404
    assert client.get(f"/districts/{MAPO}/").status_code == 404
    own = client.get(f"/api/v1/districts/{JUNG}/officials").json()
    assert [o["username"] for o in own] == ["jung-official"]


def test_city_reads_every_district() -> None:
    factories.mapo_official()
    factories.mapo_centre_official()
    client = Client()
    client.force_login(factories.city_manager())
    body = client.get(f"/api/v1/districts/{MAPO}/officials").json()
    assert {o["username"] for o in body} == {"mapo-official", "mapo-seogyo-official"}


def test_me_reports_role_and_district() -> None:
    client = Client()
    client.force_login(factories.mapo_official())
    body = client.get("/api/v1/me").json()
    assert body["role"] == "official"
    assert body["district"] == {"code": MAPO, "name_ko": "마포구", "name_en": "Mapo-gu"}


def test_districts_api_lists_all_25_in_code_order() -> None:
    body = Client().get("/api/v1/districts").json()
    assert len(body) == 25
    assert body[0]["code"] == "11110" and body[-1]["code"] == "11740"
