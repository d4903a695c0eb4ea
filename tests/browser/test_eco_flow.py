"""ECO-1..3 in a real browser (phone-sized chromium): a Mapo-gu citizen registers a vehicle and
uploads the initial reading; the Mapo-gu official approves it; the citizen sees it approved;
the Jung-gu official cannot see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mileage.readings.models import Reading
from tests import factories
from tests.readings.support import (
    eco_settings,  # noqa: F401  (fixture)
    jpeg_bytes,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_page(browser: Any) -> Iterator[Callable[[], Any]]:
    """More phone-sized pages (one per person), closed before the live server goes away."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.usefixtures("eco_settings")
def test_eco_citizen_uploads_mapo_official_approves_jung_official_cannot_see(
    page: Any,
    second_page: Callable[[], Any],
    live_server: Any,
    login_as: Any,
    tmp_path: Path,
    screenshot_dir: Path,
) -> None:
    citizen = factories.mapo_citizen(password=factories.PASSWORD)
    official = factories.mapo_official(password=factories.PASSWORD)
    other = factories.jung_official(password=factories.PASSWORD)
    plate_file = tmp_path / "plate.jpg"
    plate_file.write_bytes(jpeg_bytes(1, taken=today(), gps=True, text="12가3456"))
    dash_file = tmp_path / "dashboard.jpg"
    dash_file.write_bytes(jpeg_bytes(2, taken=today(), text="52000 km"))

    # The citizen registers the vehicle (ECO-1) and uploads the initial reading (ECO-2).
    login_as(page, citizen, factories.PASSWORD)
    page.goto(live_server.url + "/eco/vehicles/new/")
    page.get_by_label("차량번호").fill("12가3456")
    page.get_by_role("button", name="등록").click()
    page.wait_for_url(f"{live_server.url}/eco/vehicles/*/")
    assert "차량이 등록되었습니다" in page.locator(".messages").inner_text()
    page.get_by_label("누적주행거리(km)").first.fill("52000")
    page.get_by_label("차량번호판 사진").first.set_input_files(str(plate_file))
    page.get_by_label("계기판 사진").first.set_input_files(str(dash_file))
    # issue #15: each chosen photo is previewed before anything is sent
    preview = page.locator("#plate_photo-preview img")
    preview.wait_for()
    assert preview.get_attribute("alt") == "선택한 사진 미리보기"
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "dashboard.jpg" in page.locator("#dashboard_photo-preview").inner_text()
    page.locator("#up-h ~ form button[type=submit]").click()
    page.wait_for_load_state()
    assert "접수되었습니다" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("reading-status").first.inner_text() == "심사 대기"
    page.screenshot(path=str(screenshot_dir / "eco-citizen-submitted.png"), full_page=True)
    reading = Reading.objects.get()

    # The Mapo-gu official finds it in the queue, looks at the photos and approves (ECO-3).
    official_page = second_page()
    login_as(official_page, official, factories.PASSWORD)
    official_page.goto(live_server.url + "/eco/review/")
    official_page.get_by_test_id("queue-link").filter(has_text="12가3456").click()
    official_page.wait_for_url(f"{live_server.url}/eco/review/{reading.pk}/")
    photo = official_page.locator("#photo-dash")
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    official_page.get_by_role("button", name="확대").nth(1).click()
    assert official_page.locator("#photo-dash-level").inner_text() == "200%"
    official_page.get_by_test_id("approve").click()
    official_page.wait_for_url(live_server.url + "/eco/review/")
    assert "승인했습니다" in official_page.locator(".messages").inner_text()

    # The citizen sees it approved, with the annual window of cycle 1.
    page.reload()
    assert page.get_by_test_id("reading-status").first.inner_text() == "승인"
    assert "~" in page.get_by_test_id("window").inner_text()
    page.screenshot(path=str(screenshot_dir / "eco-citizen-approved.png"), full_page=True)

    # The Jung-gu official sees nothing of it.
    jung_page = second_page()
    login_as(jung_page, other, factories.PASSWORD)
    jung_page.goto(live_server.url + "/eco/review/?status=")
    assert "12가3456" not in jung_page.locator("main").inner_text()
    response = jung_page.goto(f"{live_server.url}/eco/review/{reading.pk}/")
    assert response is not None and response.status == 404
    response = jung_page.goto(f"{live_server.url}/eco/photos/{reading.dashboard_photo_id}/")
    assert response is not None and response.status == 404
