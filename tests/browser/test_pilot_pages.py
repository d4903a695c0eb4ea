"""The 2014 pilot in a real browser: the insurer's and the city's pages render in Korean on a
phone-sized screen, and one insurer never sees another's enrolments (insurer isolation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mileage.accounts.districts import ensure_districts
from mileage.accounts.models import Role
from tests import factories
from tests.pilot.conftest import hicar, programme, registry  # noqa: F401  (fixtures)
from tests.pilot.support import evaluated_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_pilot_insurer_and_city_pages_render_korean_and_isolate_insurers(
    page: Any,
    live_server: Any,
    login_as: Any,
    screenshot_dir: Path,
    programme: Any,  # noqa: F811
) -> None:
    ensure_districts()  # a transactional test may run after another one flushed them
    ev, _ = evaluated_pair()  # both through 현대하이카다이렉트
    hicar_staff = factories.person("staff-hicar", role=Role.PARTNER, password=factories.PASSWORD)
    hicar().members.add(hicar_staff)
    hanwha_staff = factories.partner_user("insurer", password=factories.PASSWORD)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    login_as(page, hicar_staff, factories.PASSWORD)
    page.goto(live_server.url + "/pilot/insurer/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "현대하이카다이렉트 시범사업 가입 현황"
    table = page.get_by_test_id("enrolments").inner_text()
    assert "34나5678" in table and "12가3456" in table
    page.get_by_role("link", name=str(ev.slot), exact=True).click()
    assert page.get_by_test_id("insurer").inner_text() == "현대하이카다이렉트"
    page.screenshot(path=str(screenshot_dir / "pilot-insurer.png"), full_page=True)
    page.get_by_role("button", name="로그아웃").click()

    login_as(page, hanwha_staff, factories.PASSWORD)
    page.goto(live_server.url + "/pilot/insurer/")
    assert page.locator("h1").inner_text() == "한화손해보험 시범사업 가입 현황"
    assert "34나5678" not in page.locator("main").inner_text()
    response = page.goto(live_server.url + f"/pilot/enrolments/{ev.pk}/")
    assert response is not None and response.status == 404
    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("button", name="로그아웃").click()

    login_as(page, factories.city_manager(password=factories.PASSWORD), factories.PASSWORD)
    page.goto(live_server.url + "/pilot/city/")
    assert page.locator("h1").inner_text() == "승용차 마일리지 시범사업 현황"
    assert "현대하이카다이렉트" in page.get_by_test_id("totals").inner_text()
    assert page.locator("svg.pilot-chart").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "pilot-city.png"), full_page=True)
    page.goto(live_server.url + "/pilot/help/")
    assert page.locator("#q11").is_visible()
    unexpected = [u for u in failed if not u.endswith(("/favicon.ico", f"/enrolments/{ev.pk}/"))]
    assert unexpected == []  # stylesheets and scripts all load
    assert [e for e in errors if "Failed to load resource" not in e] == []  # no CSP errors
    print(f"screenshots in {screenshot_dir}")
