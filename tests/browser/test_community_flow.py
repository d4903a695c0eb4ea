"""Walking community in a real browser (issue #11): a member joins a crew with its invitation
code, opts in to the rankings with a nickname, and after the refresh finds their own rank and
their crew in the rankings."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mileage.accounts.districts import MAPO, ensure_districts
from mileage.community.models import CrewMembership
from mileage.community.services import crews, profiles
from mileage.community.services.rankings import refresh_current
from mileage.walking.services.feed import upsert_reports
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_join_a_crew_then_see_the_ranking(page, live_server, login_as) -> None:
    ensure_districts()
    today = timezone.localdate()
    member = factories.person(
        "citizen-001", district_code=MAPO, display_name="김보행", password=factories.PASSWORD
    )
    owner = factories.person("citizen-002", district_code=MAPO)
    profiles.set_nickname(owner, "모임장", ranked=True)
    crew = crews.create_crew(owner, "망원 한강 산책단")
    app = factories.partner("walking_app")
    upsert_reports(app.pk, [(member.pk, today, 8_000), (owner.pk, today, 12_000)], timezone.now())

    login_as(page, member, factories.PASSWORD)
    page.goto(live_server.url + "/walking/")
    page.get_by_role("link", name="걷기 모임").click()
    page.get_by_role("link", name="모임 가입").click()
    page.get_by_label("초대 코드").fill("ZZZZ-ZZZZ")
    page.get_by_label("닉네임", exact=False).fill("한강걷기")
    page.get_by_role("button", name="가입하기").click()
    assert "그런 초대 코드의 모임이 없습니다" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("초대 코드").fill(crew.code.lower())
    page.get_by_role("button", name="가입하기").click()
    page.wait_for_url(f"{live_server.url}/walking/crews/{crew.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "망원 한강 산책단"
    assert "20,000보" in page.get_by_test_id("crew-week").inner_text()
    assert CrewMembership.objects.filter(crew=crew, member=member).exists()

    page.get_by_role("link", name="걷기 순위").click()
    page.get_by_role("button", name="순위에 참여").click()
    refresh_current(today)  # what the task `community.refresh_rankings` does every 30 minutes
    page.reload()
    own = page.get_by_test_id("own-rank").inner_text()
    assert "한강걷기" in own and "서울 전체 2위" in own and "마포구 2위" in own
    crew_row = page.get_by_role("table", name="모임 순위").get_by_role("row").nth(1)
    assert "망원 한강 산책단" in crew_row.inner_text() and "20,000보" in crew_row.inner_text()
