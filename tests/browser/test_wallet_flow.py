"""내 마일리지 and 마일리지 사용 in Chromium on a 390 px phone: a citizen with a balance converts
10,000 to 서울사랑상품권, sees the balance fall by exactly 10,000 and the receipt; a refusing
gift-certificate issuer (the local adapter's refused number) returns the mileage in full."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import ExternalUse
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"


@pytest.fixture
def citizen() -> Any:
    member = factories.mapo_citizen(password=factories.PASSWORD)
    budget = ledger.account("budget", programme="eco-car")
    wallet = ledger.account("wallet", user=member)
    ledger.transfer(
        "eco:demo", budget, wallet, 53_117, kind="award", memo="에코마일리지 1주기 평가",
        effective_on=dt.date(2026, 1, 20),
    )  # fmt: skip
    return member


def _fill_gift_form(page: Any, phone: str) -> None:
    page.get_by_role("link", name="서울사랑상품권 신청하기").click()
    page.get_by_label("사용할 마일리지").fill("10,000")
    page.get_by_label("서울페이플러스 앱에 가입한 휴대전화 번호").fill(phone)
    page.get_by_role("button", name="다음: 확인하기").click()


def test_citizen_converts_10000_to_gift_certificate_and_sees_the_balance_fall(
    page: Any, live_server: Any, login_as: Any, citizen: Any, screenshot_dir: Path
) -> None:
    login_as(page, citizen, factories.PASSWORD)
    page.get_by_role("link", name="내 마일리지").first.click()
    assert page.get_by_test_id("wallet-balance-line").inner_text() == "잔액 53,117 마일리지"
    assert "2031. 1. 20. 소멸 예정 53,117" in page.get_by_test_id("expiry-schedule").inner_text()
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshot_dir / "wallet.png"), full_page=True)

    page.get_by_role("link", name="마일리지 사용").first.click()
    page.wait_for_url(live_server.url + "/wallet/use/")
    _no_horizontal_overflow(page)
    _fill_gift_form(page, "010-1234-5678")
    assert page.get_by_test_id("confirm-amount").inner_text() == "10,000"
    assert page.get_by_test_id("confirm-balance-after").inner_text() == "43,117"
    assert (
        page.get_by_test_id("confirm-cancel-rule").inner_text()
        == "확정된 뒤에는 취소할 수 없습니다."
    )
    page.screenshot(path=str(screenshot_dir / "wallet-use-confirm.png"), full_page=True)
    page.get_by_role("button", name="10,000 마일리지 사용 확정").click()

    page.wait_for_url(live_server.url + "/wallet/use/*/")
    assert "서울사랑상품권에 10,000 마일리지를 사용했습니다." in page.locator("main").inner_text()
    assert page.get_by_test_id("receipt-status").inner_text() == "완료"
    assert page.get_by_test_id("receipt-balance").inner_text() == "43,117"
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshot_dir / "wallet-use-receipt.png"), full_page=True)
    page.go_back()  # the confirmation page again: a second click pays nothing more
    page.get_by_role("button", name="10,000 마일리지 사용 확정").click()
    page.wait_for_url(live_server.url + "/wallet/use/*/")
    page.get_by_role("link", name="내 마일리지").last.click()
    assert page.get_by_test_id("wallet-balance-line").inner_text() == "잔액 43,117 마일리지"
    assert ExternalUse.objects.count() == 1
    assert_books_balance()


def test_a_refusing_issuer_returns_the_mileage_and_keeps_the_form(
    page: Any, live_server: Any, login_as: Any, citizen: Any, screenshot_dir: Path
) -> None:
    login_as(page, citizen, factories.PASSWORD)
    page.goto(live_server.url + "/wallet/use/")
    _fill_gift_form(page, "010-0000-0000")  # the local issuer refuses this number
    page.get_by_role("button", name="10,000 마일리지 사용 확정").click()
    error = page.get_by_role("alert").filter(has_text="모두 돌려드렸습니다")
    assert "사용처에서 요청을 처리하지 못했습니다. 신청한 10,000 마일리지는" in error.inner_text()
    assert page.get_by_label("사용할 마일리지").input_value() == "10000"
    assert (
        page.get_by_label("서울페이플러스 앱에 가입한 휴대전화 번호").input_value()
        == "010-0000-0000"
    )
    color = error.evaluate("e => getComputedStyle(e).color")
    assert color == "rgb(179, 38, 30)"  # styled as an error (--danger)
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshot_dir / "wallet-use-refused.png"), full_page=True)
    assert page.get_by_test_id("form-balance").inner_text() == "53,117"
    assert ExternalUse.objects.get().status == ExternalUse.Status.RETURNED
    assert_books_balance()
