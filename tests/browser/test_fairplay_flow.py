"""Fair play in a real browser (WALK-1 [interp], issue #11): a held day shows its Korean reason on
/walking/, an empty appeal is refused next to the field, a real one is taken; the city opens
부정 걸음 점검 from its walking page and refuses the day with a reason (required)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mileage.accounts.districts import MAPO, ensure_districts
from mileage.walking.models import HeldDay, HeldStatus
from mileage.walking.services.feed import StepRow, upsert_extras, upsert_reports
from mileage.walking.tasks import accrue_day
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_fairplay_member_appeals_and_the_city_refuses_with_a_reason(
    page: Any, browser: Any, live_server: Any, login_as: Any, screenshot_dir: Path
) -> None:
    ensure_districts()
    member = factories.person("citizen-001", district_code=MAPO, display_name="김보행",
                              password=factories.PASSWORD)  # fmt: skip
    app = factories.partner("walking_app")
    on = timezone.localdate() - dt.timedelta(days=2)
    hours = [0] * 7 + [16_000] * 4 + [300] * 13
    upsert_reports(app.pk, [(member.pk, on, sum(hours))], timezone.now())
    upsert_extras(app.pk, [(member.pk, StepRow("t", on, sum(hours), hourly=tuple(hours)))])
    accrue_day(on)
    held = HeldDay.objects.get(member=member)

    login_as(page, member, factories.PASSWORD)
    page.goto(live_server.url + "/walking/")
    section = page.get_by_test_id("held-days")
    assert "사람이 계속 걷기 어려운 속도" in section.inner_text()
    box = page.get_by_label("이의 신청 내용")
    box.fill("   ")
    page.get_by_role("button", name="이의 신청").click()
    assert "이의 신청 내용을 적어 주세요." in page.get_by_role("alert").inner_text()
    page.get_by_label("이의 신청 내용").fill("마라톤 대회에 나갔습니다")
    page.get_by_role("button", name="이의 신청").click()
    assert "이의 신청을 접수했습니다" in page.locator(".messages").inner_text()
    assert "마라톤 대회에 나갔습니다" in page.get_by_test_id("held-days").inner_text()
    page.screenshot(path=str(screenshot_dir / "fairplay-member.png"), full_page=True)

    city_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    city = city_context.new_page()
    login_as(city, factories.city_manager(password=factories.PASSWORD), factories.PASSWORD)
    city.goto(live_server.url + "/walking/city/")
    city.get_by_role("link", name="부정 걸음 점검").click()
    row = city.get_by_test_id("held-row")
    assert "마라톤 대회에 나갔습니다" in row.inner_text()
    row.get_by_role("button", name="지급 안 함").click()
    assert "지급하지 않는 이유를 적어 주세요" in city.get_by_role("alert").inner_text()
    city.get_by_label("결정 사유 (지급 안 함은 필수, 회원에게 안내됨)").fill("흔든 기록입니다")
    city.get_by_test_id("held-row").get_by_role("button", name="지급 안 함").click()
    assert "지급하지 않기로 했습니다" in city.locator(".messages").inner_text()
    city.screenshot(path=str(screenshot_dir / "fairplay-city.png"), full_page=True)
    city_context.close()
    held.refresh_from_db()
    assert (held.status, held.decision_reason) == (HeldStatus.REFUSED, "흔든 기록입니다")
