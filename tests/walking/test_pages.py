"""What people see: the member's steps by day and week, mileage, donations; the city's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.walking.models import AppLink
from mileage.walking.services.donations import donate_steps
from mileage.walking.stats import city_report
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import campaign, steps

pytestmark = pytest.mark.django_db


def test_member_links_an_app_and_sees_the_token_only_the_app_learns(client, walker, walkon):
    client.force_login(walker)
    r = client.post("/walking/link/", {"partner": walkon.pk, "consent": "1"}, follow=True)
    link = AppLink.objects.get(member=walker)
    page = r.content.decode()
    assert link.token in page and walkon.name in page
    # issue #15: the consent to receive the app's steps is kept with its wording and time
    assert link.consent_version == "1" and link.consented_at is not None
    assert walkon.name in link.consent_wording and "(가)" not in link.consent_wording


def test_linking_without_the_consent_is_refused_next_to_the_box(client, walker, walkon):
    client.force_login(walker)
    r = client.post("/walking/link/", {"partner": walkon.pk})
    page = r.content.decode()
    assert r.status_code == 400 and not AppLink.objects.filter(member=walker).exists()
    assert 'role="alert" id="consent-error"' in page
    assert (
        "걸음 수 제공에 동의해야 앱을 연결할 수 있습니다" in page and "walking.consent" not in page
    )


def test_member_page_shows_day_and_week_charts_and_mileage(client, walker, walkon):
    today = timezone.localdate()
    on = today - dt.timedelta(days=1)
    steps(walker, on, 8_765, walkon)
    accrue_day(on)
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    assert page.count('class="walk-chart"') == 2
    assert "8,765" in page
    assert f"{on.month}/{on.day}: 8,765보" in page  # the bar's tooltip
    assert "87 마일리지" in page or "174 마일리지" in page  # 174 on a bonus day


def test_member_api_lists_counted_days(client, walker, walkon, bigwalk):
    on = timezone.localdate() - dt.timedelta(days=1)
    steps(walker, on, 3_000, walkon)
    steps(walker, on, 4_000, bigwalk)
    client.force_login(walker)
    r = client.get(f"/api/v1/walking/me/days?start={on}&end={on}")
    assert r.json() == [{"date": on.isoformat(), "steps": 4_000}]


def test_city_sees_participants_steps_and_donations_by_month_and_district(client, walker, walkon):
    jung = factories.jung_citizen()
    today = timezone.localdate()
    on = today - dt.timedelta(days=1)
    steps(walker, on, 10_000, walkon)
    steps(jung, on, 5_000, walkon)
    donate_steps(walker, campaign().pk)
    report = city_report(on - dt.timedelta(days=40), today)
    assert report["participants"] == 2 and report["steps"] == 15_000
    assert report["donated_steps"] == 10_000 and report["donated_won"] == 700
    districts = {r["district"]: r["steps"] for r in report["steps_by_district"]}
    assert districts == {"마포구": 10_000, "중구": 5_000}
    assert [r["district"] for r in report["donations_by_district"]] == ["마포구"]
    client.force_login(factories.city_manager())
    page = client.get("/walking/city/").content.decode()
    assert "마포구" in page and "700원" in page
    # issue #14: charts, Korean months, and the month × district table as a file
    assert page.count('class="walk-chart"') == 2 and f"{on.year}년 {on.month}월" in page
    sheet = client.get("/walking/city/", {"format": "csv"}).content.decode("utf-8-sig")
    lines = [line.split(",") for line in sheet.strip().splitlines()]
    assert lines[0] == [
        "월",
        "자치구",
        "참여 시민(명)",
        "걸음(보)",
        "기부자(명)",
        "기부 걸음(보)",
        "기부액(원)",
    ]
    by_district = {row[1]: row for row in lines[1:] if row[0] == f"{on.year}년 {on.month}월"}
    assert by_district["마포구"][3] == "10000" and by_district["중구"][3] == "5000"
    won = {d: sum(int(row[6]) for row in lines[1:] if row[1] == d) for d in ("마포구", "중구")}
    assert won == {"마포구": 700, "중구": 0}  # given today, in today's month
    book = client.get("/walking/city/", {"format": "xlsx"})
    assert book["Content-Disposition"].endswith('.xlsx"')


def test_merchant_page_redeems_once_and_refuses_the_second(client, walker):
    from mileage.walking.services.coupons import buy_coupon

    from .helpers import coupon, fund_wallet

    fund_wallet(walker, 1_000)
    purchase = buy_coupon(walker, coupon().pk)
    client.force_login(factories.partner_user("merchant"))
    first = client.post("/walking/merchant/", {"code": purchase.code, "key": "a" * 32}, follow=True)
    second = client.post("/walking/merchant/", {"code": purchase.code, "key": "b" * 32})
    assert first.status_code == 200 and "사용 처리했습니다" in first.content.decode()
    assert second.status_code == 409 and "이미 사용 처리된 쿠폰" in second.content.decode()


def test_dashboard_panels_point_each_role_to_its_walking_pages(client, walker):
    client.force_login(walker)
    assert "/walking/" in client.get("/dashboard/").content.decode()
    client.force_login(factories.partner_user("merchant"))
    assert "/walking/merchant/" in client.get("/dashboard/").content.decode()
    client.force_login(factories.city_manager())
    assert "/walking/city/" in client.get("/dashboard/").content.decode()
