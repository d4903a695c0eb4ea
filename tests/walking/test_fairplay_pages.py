"""WALK-1 [interp] fair play pages: the member's held days with reasons and 이의 신청; the city's
부정 걸음 점검 page with filters, counts and 지급 / 지급 안 함."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.core.models import AuditEntry
from mileage.ledger import services as ledger
from mileage.walking.models import HeldDay, HeldStatus
from mileage.walking.services.feed import StepRow, upsert_extras
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(walker, walkon) -> HeldDay:
    on = timezone.localdate() - dt.timedelta(days=2)
    hours = [0] * 6 + [15_000] * 4 + [500] * 14
    steps(walker, on, sum(hours), walkon)
    upsert_extras(walkon.pk, [(walker.pk, StepRow("t", on, sum(hours), hourly=tuple(hours)))])
    accrue_day(on)
    return HeldDay.objects.get(member=walker, on=on)


@pytest.fixture
def spiky(walkon) -> HeldDay:
    other = factories.jung_citizen()
    on = timezone.localdate() - dt.timedelta(days=3)
    steps(other, on, 80_000, walkon)
    accrue_day(on)
    return HeldDay.objects.get(member=other, on=on)


def test_walk1_member_sees_held_day_in_korean_without_codes(client, walker, held):
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    assert "보류된 걸음" in page and "67,000보" in page
    assert "사람이 계속 걷기 어려운 속도" in page
    assert held.on.isoformat() not in page
    for code in ("cadence", "WALK-1", "fairplay", ">held<"):
        assert code not in page
    assert "이의 신청" in page


def test_walk1_empty_appeal_is_refused_next_to_the_field(client, walker, held):
    client.force_login(walker)
    response = client.post(f"/walking/held/{held.pk}/appeal/", {"appeal": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "이의 신청 내용을 적어 주세요." in page and 'aria-invalid="true"' in page
    held.refresh_from_db()
    assert held.appealed_at is None


def test_walk1_appeal_once_then_refused_clearly(client, walker, held):
    client.force_login(walker)
    response = client.post(f"/walking/held/{held.pk}/appeal/", {"appeal": "마라톤을 뛰었습니다"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.appeal == "마라톤을 뛰었습니다" and held.appealed_at is not None
    again = client.post(f"/walking/held/{held.pk}/appeal/", {"appeal": "다시 씁니다"})
    assert again.status_code == 409
    assert "이미 이의 신청을 했습니다" in again.content.decode()
    held.refresh_from_db()
    assert held.appeal == "마라톤을 뛰었습니다"
    assert AuditEntry.objects.filter(action="walk.held.appeal").count() == 1


def test_walk1_member_cannot_appeal_someone_elses_day(client, spiky, walker):
    client.force_login(walker)
    response = client.post(f"/walking/held/{spiky.pk}/appeal/", {"appeal": "제 걸음입니다"})
    assert response.status_code == 403
    spiky.refresh_from_db()
    assert spiky.appealed_at is None


def test_walk1_appeal_is_post_only(client, walker, held):
    client.force_login(walker)
    assert client.get(f"/walking/held/{held.pk}/appeal/").status_code == 405


def test_walk1_citizen_and_district_cannot_open_the_city_page(client, walker, held):
    for someone in (walker, factories.mapo_official()):
        client.force_login(someone)
        assert client.get("/walking/city/fairplay/").status_code in (302, 403)
        response = client.post(f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "pay"})
        assert response.status_code in (302, 403)
    held.refresh_from_db()
    assert held.status == HeldStatus.HELD


def test_walk1_city_page_lists_filters_and_counts(client, held, spiky):
    client.force_login(factories.city_manager())
    assert "부정 걸음 점검" in client.get("/walking/city/").content.decode()
    page = client.get("/walking/city/fairplay/").content.decode()
    assert "사람이 계속 걷기 어려운 속도" in page and "80,000보" in page
    assert "/city/parameters/walk.fairplay_hold_cap_steps/" in page
    assert 'data-testid="reason-counts"' in page
    only = client.get("/walking/city/fairplay/", {"reason": "over_cap"}).content.decode()
    assert "80,000보" in only and "67,000보" not in only
    assert only.count('data-testid="held-row"') == 1


def test_walk1_city_pays_from_the_page(client, walker, held):
    city = factories.city_manager()
    client.force_login(city)
    response = client.post(f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "pay"})
    assert response.status_code == 302
    assert ledger.balance(ledger.account("wallet", user=walker)) == 100
    again = client.post(f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "pay"})
    assert again.status_code == 409 and "이미 결정된" in again.content.decode()
    assert ledger.balance(ledger.account("wallet", user=walker)) == 100
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    assert "100 마일리지 지급" in page


def test_walk1_refusal_without_reason_keeps_the_form(client, walker, held):
    client.force_login(factories.city_manager())
    response = client.post(
        f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "refuse", "reason": ""}
    )
    assert response.status_code == 400
    assert "지급하지 않는 이유를 적어 주세요" in response.content.decode()
    held.refresh_from_db()
    assert held.status == HeldStatus.HELD
    done = client.post(
        f"/walking/city/fairplay/{held.pk}/decide/",
        {"decision": "refuse", "reason": "휴대폰 흔들기로 보입니다"},
    )
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.status == HeldStatus.REFUSED
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    assert "지급 안 함" in page and "휴대폰 흔들기로 보입니다" in page
    assert ledger.balance(ledger.account("wallet", user=walker)) == 0
