"""Home page, the dashboard per role, and Korean as the only language."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.core.panels import Panel, collect_panels
from tests import factories

pytestmark = pytest.mark.django_db


def page(user, path: str = "/dashboard/") -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_home_explains_the_three_programmes_in_korean() -> None:
    html = Client().get("/").content.decode()
    assert '<html lang="ko">' in html
    for title in ["에코마일리지 승용차", "2014 승용차 마일리지 시범사업", "보행 마일리지"]:
        assert title in html
    assert "한화손해보험" in html and 'name="viewport"' in html
    assert "/static/web/htmx.min.js" in html and "/static/web/site.css" in html


def test_citizen_dashboard_shows_the_citizen_and_no_official_panels() -> None:
    html = page(factories.mapo_citizen())
    assert "김마포 님의 마일리지" in html
    assert "담당 구" not in html and "자치구 25곳" not in html


def test_official_dashboard_names_their_district_only() -> None:
    html = page(factories.mapo_official())
    assert "마포구 담당자 대시보드" in html
    assert 'href="/districts/11440/"' in html
    assert "/districts/11140/" not in html
    html = page(factories.jung_official())
    assert "중구 담당자 대시보드" in html and "마포구" not in html


def test_city_dashboard_links_every_district() -> None:
    html = page(factories.city_manager())
    assert "서울시 프로그램 관리" in html
    assert html.count('href="/districts/') == 25


def test_partner_dashboard_shows_the_partner() -> None:
    html = page(factories.partner_user("insurer"))
    assert "한화손해보험 협력기관 대시보드" in html and "/partner/keys/" in html


def test_district_page_lists_its_officials() -> None:
    factories.mapo_centre_official()
    html = page(factories.mapo_official(), "/districts/11440/")
    assert "서교동 주민센터" in html and "마포구청 담당자" in html


def test_panels_are_collected_per_role() -> None:
    citizen_panels = collect_panels(factories.mapo_citizen())
    official_panels = collect_panels(factories.mapo_official())
    assert all(isinstance(p, Panel) for p in citizen_panels + official_panels)
    assert "web/panels/profile.html" in [p.template for p in citizen_panels]
    assert "web/panels/official_district.html" in [p.template for p in official_panels]
    assert "web/panels/official_district.html" not in [p.template for p in citizen_panels]


def test_dashboard_needs_login() -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_korean_only_no_language_switch() -> None:
    """Issue #15: the English catalogue covered a few strings, so the switch is gone rather than
    half an English site: no switch on the page, the old endpoint is not there."""
    html = Client().get("/").content.decode()
    assert "set_language" not in html and "lang-select" not in html and "English" not in html
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 404


def test_korean_first_even_when_the_browser_asks_for_english() -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/").content.decode()
    assert '<html lang="ko">' in html and "보행 마일리지" in html


def test_citizen_dashboard_has_no_stale_empty_state_when_panels_exist() -> None:
    html = page(factories.mapo_citizen())
    assert "참여 중인 프로그램이 아직 없습니다" not in html


def test_login_form_is_accessible() -> None:
    html = Client().get("/login/").content.decode()
    assert '<label for="id_username">아이디</label>' in html
    assert '<label for="id_password">비밀번호</label>' in html
    assert 'autocomplete="current-password"' in html
