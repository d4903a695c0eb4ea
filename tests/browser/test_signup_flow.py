"""A new resident joins on a 390 px phone (Chromium): 회원가입 from the home page, 본인인증 with
the code read from the local SMS gateway's page, then enrols the unclaimed demo car from the
registry (matched to their CI) and uploads the initial reading."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mileage.accounts.models import User
from mileage.readings.models import Reading
from tests.readings.support import jpeg_bytes, today

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_resident_signs_up_verifies_enrols_the_demo_car_and_uploads(
    page: Any, browser: Any, live_server: Any, settings: Any, tmp_path: Path, screenshot_dir: Path
) -> None:
    from mileage.accounts.districts import ensure_districts

    ensure_districts()  # transactional tests start without the seeded districts
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VEHICLE_REGISTRY_PATH = ""  # the shipped demo registry with the new residents
    plate_file = tmp_path / "plate.jpg"
    plate_file.write_bytes(jpeg_bytes(5, taken=today(), gps=True, text="57누1203"))
    dash_file = tmp_path / "dashboard.jpg"
    dash_file.write_bytes(jpeg_bytes(6, taken=today(), text="41000 km"))

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="회원가입", exact=True).first.click()
    page.wait_for_url(live_server.url + "/signup/")
    page.get_by_label("서울 마일리지 이용약관").check()
    page.get_by_label("개인정보 수집·이용").check()
    page.get_by_label("이름").fill("박새봄")
    page.get_by_label("생년월일").fill("1991-04-17")
    page.get_by_label("휴대전화 번호").fill("+82 10 2741 3391")
    page.screenshot(path=str(screenshot_dir / "signup-step1.png"), full_page=True)
    page.get_by_role("button", name="인증번호 받기").click()
    page.wait_for_url(live_server.url + "/signup/verify/")
    assert "010-2741-3391" in page.locator("main").inner_text()

    # The code, read where the local SMS gateway recorded it.
    messages_page = page.context.new_page()
    messages_page.goto(live_server.url + "/dev/messages/")
    body = messages_page.get_by_test_id("sms").first.inner_text()
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    messages_page.close()

    page.get_by_label("인증번호 6자리").fill(code)
    page.get_by_role("button", name="확인").click()
    page.wait_for_url(live_server.url + "/signup/account/")
    assert "1991. 4. 17." in page.locator("main").inner_text()
    page.get_by_label("아이디").fill("saebom")
    page.get_by_label("비밀번호", exact=True).fill("봄날의-자전거-2026")
    page.get_by_label("비밀번호 확인").fill("봄날의-자전거-2026")
    page.get_by_label("거주 자치구").select_option(label="마포구")
    page.get_by_role("button", name="가입하기").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    assert "회원가입이 끝났습니다" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "signup-dashboard.png"), full_page=True)

    # The car the registry lists under this person's CI.
    page.goto(live_server.url + "/eco/vehicles/new/")
    page.get_by_label("차량번호").fill("57누1203")
    page.get_by_role("button", name="등록").click()
    page.wait_for_url(f"{live_server.url}/eco/vehicles/*/")
    assert "차량이 등록되었습니다" in page.locator(".messages").inner_text()
    page.get_by_label("누적주행거리(km)").first.fill("41000")
    page.get_by_label("차량번호판 사진").first.set_input_files(str(plate_file))
    page.get_by_label("계기판 사진").first.set_input_files(str(dash_file))
    page.locator("#up-h ~ form button[type=submit]").click()
    page.wait_for_load_state()
    assert "접수되었습니다" in page.locator(".messages").inner_text()
    page.screenshot(path=str(screenshot_dir / "signup-reading.png"), full_page=True)

    member = User.objects.get(username="saebom")
    reading = Reading.objects.get()
    assert reading.vehicle.owner == member and reading.km == 41000
    assert member.ci and member.district.code == "11440"
