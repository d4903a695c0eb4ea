"""Browser fixtures: PyPI playwright driving Debian's chromium against pytest-django's live_server.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI), which makes it fail.
Never `playwright install`: scripts/ensure-chromium.sh installs chromium and fonts-noto-cjk.

    def test_x(page, live_server, login_as):
        login_as(page, factories.mapo_citizen(password=factories.PASSWORD))
        page.goto(live_server.url + "/dashboard/")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# live_server runs requests in another thread; Django refuses ORM calls from async contexts
# that Playwright's sync API may leave behind.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (run scripts/ensure-chromium.sh)"
            )
        pytest.skip(f"{CHROMIUM} is missing (scripts/ensure-chromium.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized browser context (mobile first) with Korean as the browser language."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ko-KR", device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login_as(live_server: Any) -> Callable[[Any, Any, str], None]:
    """Log a person in through the real login form."""

    def login(page: Any, user: Any, password: str) -> None:
        page.goto(live_server.url + "/login/")
        page.get_by_label("아이디").fill(user.username)
        page.get_by_label("비밀번호").fill(password)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_url(live_server.url + "/dashboard/")

    return login


@pytest.fixture
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots (a tmp dir; the path is printed with -s)."""
    path = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
