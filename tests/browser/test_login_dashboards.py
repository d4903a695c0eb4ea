"""A citizen and an official log in through the real browser; each sees only their own dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_and_official_each_see_only_their_own_dashboard(
    page: Any, live_server: Any, login_as: Any, screenshot_dir: Path
) -> None:
    citizen = factories.mapo_citizen(password=factories.PASSWORD)
    official = factories.mapo_official(password=factories.PASSWORD)
    factories.jung_official()

    login_as(page, citizen, factories.PASSWORD)
    heading = page.locator("#dashboard-title")
    assert heading.inner_text() == "김마포 님의 마일리지"
    body = page.locator("main").inner_text()
    assert "담당 구" not in body and "서울시 프로그램 관리" not in body
    page.screenshot(path=str(screenshot_dir / "citizen-dashboard.png"), full_page=True)
    print(f"screenshots in {screenshot_dir}")

    response = page.goto(live_server.url + "/districts/11440/")
    assert response is not None and response.status == 403

    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url(live_server.url + "/")

    login_as(page, official, factories.PASSWORD)
    assert page.locator("#dashboard-title").inner_text() == "마포구 담당자 대시보드"
    body = page.locator("main").inner_text()
    assert "김마포 님의 마일리지" not in body
    page.screenshot(path=str(screenshot_dir / "official-dashboard.png"), full_page=True)

    page.get_by_role("link", name="담당 구 현황 보기").click()
    assert "마포구" in page.locator("h1").inner_text()
    response = page.goto(live_server.url + "/districts/11140/")
    assert response is not None and response.status == 404


def test_home_page_renders_korean_under_the_csp(
    page: Any, live_server: Any, screenshot_dir: Path
) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "걷고, 덜 운전하면 마일리지가 쌓입니다"
    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)
    assert page.evaluate("typeof window.htmx") == "object"  # served locally, allowed by CSP
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("#lang-select").count() == 0  # Korean only (issue #15)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_api_docs_page_works_under_the_csp(page: Any, live_server: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "서울 마일리지 API" in page.locator(".swagger-ui .info .title").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
