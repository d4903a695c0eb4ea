"""Issue #14: the city manages campaigns, challenges, coupons, courses, events, bonus days,
sponsors and uses of mileage on its own pages (not Django admin); bad input is refused next to
its field in Korean; every change is an audit row with before → after; nobody else may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mileage.core.audit import change_of
from mileage.core.models import AuditEntry
from mileage.ledger.models import UseOption
from mileage.partners.models import Partner, PartnerKind
from mileage.walking.models import BonusDay, DonationCampaign
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Client:
    client = Client()
    client.force_login(factories.city_manager())
    return client


def test_every_kind_has_a_list_and_a_new_form_for_the_city(city) -> None:
    from mileage.web.manage import MANAGED

    index = city.get("/city/programmes/").content.decode()
    for kind in MANAGED:
        assert f"/city/programmes/{kind}/" in index
        assert city.get(f"/city/programmes/{kind}/").status_code == 200, kind
        assert city.get(f"/city/programmes/{kind}/new/").status_code == 200, kind
    assert "/city/programmes/" in city.get("/dashboard/").content.decode()
    assert city.get("/city/programmes/nothing/").status_code == 404


def test_a_sponsor_and_its_campaign_are_added_and_the_budget_is_shown(city) -> None:
    city.post(
        "/city/programmes/sponsors/new/",
        {"name": "푸른서울나눔재단", "slug": "green", "is_active": "on"},
    )
    sponsor = Partner.objects.get(slug="green")
    assert sponsor.kind == PartnerKind.SPONSOR
    today = dt.date.today()
    form = {
        "title": "가을 걷기 기부", "slug": "autumn", "description": "", "sponsor": sponsor.pk,
        "beneficiary": "건강한동행", "rate_won_per_km": "100", "budget_won": "5000000",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }  # fmt: skip
    assert city.post("/city/programmes/campaigns/new/", form).status_code == 302
    campaign = DonationCampaign.objects.get(slug="autumn")
    assert campaign.budget_won == 5_000_000
    sponsors = city.get("/city/programmes/sponsors/").content.decode()
    assert "5,000,000" in sponsors
    assert AuditEntry.objects.filter(action="programme.create").count() == 2


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(city) -> None:
    sponsor = factories.partner("sponsor")
    campaign = DonationCampaign.objects.create(
        slug="spent", title="기부", sponsor=sponsor, beneficiary="재단", rate_won_per_km=100,
        budget_won=10_000, spent_won=8_000, starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    form = {
        "title": "기부", "slug": "spent", "description": "", "sponsor": sponsor.pk,
        "beneficiary": "재단", "rate_won_per_km": "100", "budget_won": "5000",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31",
    }  # fmt: skip
    refused = city.post(f"/city/programmes/campaigns/{campaign.pk}/", form)
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.budget_won == 10_000  # never below what was already given
    backwards = dict(form, budget_won="20000", starts_on="2026-12-31", ends_on="2026-01-01")
    assert city.post(f"/city/programmes/campaigns/{campaign.pk}/", backwards).status_code == 400
    bonus = {
        "name": "걷기의 날",
        "multiplier": "0.5",
        "day_of_month": "11",
        "starts_on": "2026-01-01",
    }
    page = city.post("/city/programmes/bonus-days/new/", bonus)
    assert page.status_code == 400 and not BonusDay.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="programme.").exists()


def test_a_change_is_audited_before_and_after(city) -> None:
    option = UseOption.objects.order_by("pk").first()
    form = {"name": option.name, "summary": "바뀐 설명", "fund": option.fund, "order": "5"}
    assert city.post(f"/city/programmes/uses/{option.pk}/", form).status_code == 302
    option.refresh_from_db()
    assert option.summary == "바뀐 설명" and option.active is False  # unchecked box
    entry = AuditEntry.objects.get(action="programme.update")
    assert "summary" in change_of(entry) and "→ 바뀐 설명" in change_of(entry)
    page = city.get("/city/audit/", {"action": "programme.update"}).content.decode()
    assert "프로그램 항목 수정" in page and "바뀐 설명" in page and option.name in page
    sheet = city.get("/city/audit/", {"format": "csv"}).content.decode("utf-8-sig")
    assert sheet.startswith("일시,처리자,처리,대상") and "프로그램 항목 수정" in sheet


@pytest.mark.parametrize("maker", ["mapo_official", "mapo_citizen"])
def test_nobody_but_the_city_manages(maker) -> None:
    client = Client()
    client.force_login(getattr(factories, maker)())
    assert client.get("/city/programmes/").status_code == 403
    assert client.get("/city/audit/").status_code == 403
    assert (
        client.post("/city/programmes/sponsors/new/", {"name": "x", "slug": "x"}).status_code == 403
    )
    assert not Partner.objects.filter(slug="x").exists()
