"""Walking mileage in a real browser (WALK-1, WALK-4, WALK-6): a member links an app and sees the
demo steps (and the app's first upload), donates steps to a campaign, buys a coupon; the merchant
redeems it; a second redemption is refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from demo import partners as partners_demo
from demo import walking as walking_demo
from mileage.accounts.districts import MAPO, ensure_districts
from mileage.accounts.models import User
from mileage.walking.models import CouponPurchase, StepDonation
from mileage.walking.services.courses import publish_seed_courses
from tests import factories

# No serialized_rollback: after another transactional test flushed the database, restoring the
# serialized content types collides with the ones post_migrate recreated (IntegrityError). The
# reference data that migrations seed is put back explicitly instead (districts, WALK-7 courses).
pytestmark = pytest.mark.django_db(transaction=True)


def _demo_world() -> tuple[User, str]:
    """The demo seeds on a small town: twelve citizens, the demo partners, eight weeks of steps."""
    ensure_districts()
    publish_seed_courses()
    member = factories.person("citizen-001", district_code=MAPO, display_name="김보행",
                              password=factories.PASSWORD)  # fmt: skip
    for n in range(2, 13):
        factories.person(f"citizen-{n:03d}", district_code=MAPO)
    out = io.StringIO()
    partners_demo.seed(out)
    walking_demo.seed(io.StringIO())
    return member, factories.printed_token(out.getvalue(), "georeumon")


def _push_steps(base_url: str, key: str, token: str, on: dt.date, steps: int) -> dict[str, Any]:
    """What the walking app's server does: POST the day's total with its API key."""
    body = json.dumps({"rows": [{"member": token, "date": on.isoformat(), "steps": steps}]})
    request = urllib.request.Request(
        base_url + "/api/v1/walking/steps",
        data=body.encode(),
        headers={"Content-Type": "application/json",
                 "X-API-Key": key},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.loads(response.read())


def test_walking_member_links_donates_buys_and_the_merchant_redeems_once(
    page: Any, browser: Any, live_server: Any, login_as: Any, screenshot_dir: Path
) -> None:
    member, app_key = _demo_world()
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    # 1. Link the 걸음온 app; the page shows the token that is all the app learns.
    login_as(page, member, factories.PASSWORD)
    page.goto(live_server.url + "/walking/")
    assert page.locator("[data-testid=recent-days] tbody tr").count() == 14  # demo steps (빅스텝)
    page.get_by_label("연결할 앱").select_option(label="걸음온")
    page.get_by_label("위 내용에 동의합니다").check()  # the consent to receive its steps
    page.get_by_role("button", name="앱 연결하기").click()
    token = page.locator("li[data-app=georeumon] [data-testid=link-token]").inner_text()
    assert token.startswith("wl_") and "걸음온" in page.locator(".messages").inner_text()

    # The app sends yesterday's total with that token; the larger source counts (WALK-1).
    result = _push_steps(live_server.url, app_key, token, yesterday, 23_456)
    assert result["accepted"] == 1, result
    page.reload()
    assert "23,456" in page.locator("[data-testid=recent-days]").inner_text()
    assert page.locator("svg.walk-chart").count() == 2
    page.screenshot(path=str(screenshot_dir / "walking-home.png"), full_page=True)

    # 2. Donate every step not donated before to the demo campaign (WALK-4).
    page.goto(live_server.url + "/walking/campaigns/warm-steps/")
    available = int(page.locator("[data-testid=available]").inner_text().replace(",", ""))
    assert available > 23_456
    page.get_by_role("button", name="기부하기").click()
    # an empty field gives every step: asked first (issue #15), then confirmed
    confirm = page.get_by_test_id("donate-confirm")
    assert f"{available:,}보" in confirm.inner_text()
    assert StepDonation.objects.filter(member=member).count() == 0
    confirm.get_by_role("button", name=f"{available:,}보 기부 확정").click()
    assert "보를 기부했습니다" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=available]").inner_text() == "0"
    gift = StepDonation.objects.get(member=member)
    assert gift.steps == available and gift.won > 0

    # 3. Buy a coupon with mileage earned from the demo steps (WALK-6).
    page.goto(live_server.url + "/walking/coupons/")
    page.get_by_role("button", name="도서 2,000원 할인권 구매").click()
    assert "쿠폰을 샀습니다" in page.locator(".messages").inner_text()
    code = page.locator("[data-testid=coupon-code]").first.inner_text()
    assert CouponPurchase.objects.get(code=code).member == member
    page.screenshot(path=str(screenshot_dir / "walking-coupons.png"), full_page=True)

    # 4. The bookshop redeems the code at its counter; the second time is refused.
    shop_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    shop = shop_context.new_page()
    login_as(shop, User.objects.get(username="partner-mangwon-books"), partners_demo.DEMO_PASSWORD)
    shop.goto(live_server.url + "/walking/merchant/")
    shop.get_by_label("쿠폰 번호").fill(code.lower())
    shop.get_by_role("button", name="사용 처리").click()
    assert "사용 처리했습니다" in shop.locator(".messages").inner_text()
    shop.get_by_label("쿠폰 번호").fill(code)
    with shop.expect_response(lambda r: r.url.endswith("/walking/merchant/")) as second:
        shop.get_by_role("button", name="사용 처리").click()
    assert second.value.status == 409
    assert "이미 사용 처리된 쿠폰" in shop.locator("main").inner_text()
    shop.screenshot(path=str(screenshot_dir / "walking-merchant-refused.png"), full_page=True)
    shop_context.close()

    page.goto(live_server.url + "/walking/coupons/")
    assert "사용함" in page.locator("main").inner_text()
