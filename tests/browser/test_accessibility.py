"""Accessibility (WCAG 2.1 AA, issue #15): axe-core in Chromium over every page each demo role
reaches from its dashboard, plus the API docs; no violation of impact serious or critical.

axe-core comes from npm, pinned in package-lock.json at the repository root and installed by
`make install` (`npm ci`). Without it the test skips, unless REQUIRE_BROWSER=1 (CI), which fails.

The walk follows same-site links with GET only (no forms are sent), skips /logout/, /admin/,
/api/ (the docs are checked on their own), static and media files and downloads, and visits
at most MAX_PER_SHAPE pages of one shape (/eco/vehicles/12/ and /eco/vehicles/13/ share a
template) and MAX_PAGES per role, so the whole test stays near two minutes.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
PASSWORD = "demo-pass-2024"  # every demo account (README, demo/accounts.py)
SKIP = ("/logout/", "/admin/", "/api/", "/static/", "/media/", "/i18n/")
DOWNLOAD = re.compile(r"\.(?:csv|xlsx|zip|json|pdf|png|jpe?g)$|/export|/account/data/download")
MAX_PAGES = 40
MAX_PER_SHAPE = 2

# Who signs in (None: nobody), where the walk starts, and the part of the site it stays in.
ROLES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "anonymous": (None, ("/", "/login/", "/signup/"), "/"),
    "citizen": ("citizen-001", ("/dashboard/",), "/"),
    # the first 2014 pilot member (found after demo_data); the rest of a citizen's pages are
    # walked above, so only the pilot's own pages here
    "pilot member": ("", ("/pilot/",), "/pilot/"),
    "district official": ("official-11440-office", ("/dashboard/",), "/"),
    "city manager": ("city-manager", ("/dashboard/", "/privacy/access-log/"), "/"),
    "insurer": ("partner-hanwha", ("/dashboard/",), "/"),
    "walking app": ("partner-georeumon", ("/dashboard/",), "/"),
    "merchant": ("partner-mangwon-books", ("/dashboard/",), "/"),
    "sponsor": ("partner-green-seoul", ("/dashboard/",), "/"),  # 후원 보고서
}

AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


def _describe(v: dict[str, Any]) -> str:
    """Rule, impact, what it asks and the first targets (selectors) it names."""
    targets = v["targets"][:8] + (
        [f"… and {len(v['targets']) - 8} more"] if len(v["targets"]) > 8 else []
    )
    return f"{v['impact']} {v['id']}: {v['help']}\n      " + "\n      ".join(targets)


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(p.split("=", 1)[0] for p in parts.query.split("&") if p)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _links(page: Any, origin: str) -> list[str]:
    found = page.eval_on_selector_all(
        "a[href]", "els => els.filter(a => !a.hasAttribute('download')).map(a => a.href)"
    )
    links = []
    for href in found:
        href = urldefrag(href).url
        if not href.startswith(origin + "/"):
            continue
        path = href[len(origin) :]
        if path.startswith(SKIP) or DOWNLOAD.search(urlsplit(path).path):
            continue
        links.append(path)
    return links


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN, AXE_OPTIONS)
    return [v for v in violations if v["impact"] in BLOCKING]


def walk(
    page: Any, origin: str, starts: tuple[str, ...], within: str = "/"
) -> tuple[list[str], list[str]]:
    """Visit the pages under `within` reachable from `starts`; return the pages visited and the
    problems found."""
    from playwright.sync_api import Error as PlaywrightError

    seen: set[str] = set()
    shapes: dict[str, int] = {}
    visited: list[str] = []
    problems: list[str] = []
    todo = deque(starts)
    while todo and len(visited) < MAX_PAGES:
        path = todo.popleft()
        if path in seen:
            continue
        seen.add(path)
        shape = _shape(path)
        if shapes.get(shape, 0) >= MAX_PER_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        try:
            response = page.goto(origin + path)
        except PlaywrightError:  # a download starting aborts the navigation
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(path)
        problems += [f"{path}: {_describe(v)}" for v in axe_violations(page)]
        todo.extend(link for link in _links(page, origin) if link.startswith(within))
    return visited, problems


def _login(page: Any, origin: str, username: str) -> None:
    page.goto(origin + "/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(origin + "/dashboard/")


@pytest.fixture
def axe_context(browser: Any) -> Iterator[Any]:
    """A phone-sized context like the `page` fixture's, allowed to inject axe despite the CSP
    (add_script_tag is an inline script; the CSP itself is tested in test_login_dashboards)."""
    if not AXE.exists():
        message = f"{AXE} is missing (make install runs npm ci)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ko-KR", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_every_page_each_demo_role_reaches_has_no_serious_axe_violation(
    axe_context: Any, live_server: Any
) -> None:
    from mileage.pilot.models import Enrolment

    call_command("demo_data", stdout=StringIO())
    origin = live_server.url
    pilot = Enrolment.objects.select_related("member").order_by("pk").first()
    assert pilot is not None
    report: list[str] = []
    for role, (username, starts, within) in ROLES.items():
        if username == "":
            username = pilot.member.username
        page = axe_context.new_page()
        if username is not None:
            _login(page, origin, username)
        visited, problems = walk(page, origin, starts, within)
        print(f"{role} ({username}): {len(visited)} pages, {len(problems)} problems")
        assert len(visited) > len(starts), f"{role}: no page beyond {visited}"
        report += [f"{role}: {p}" for p in problems]
        axe_context.clear_cookies()
        page.close()
    assert report == [], "\n".join(report)


def test_api_docs_have_no_serious_axe_violation(axe_context: Any, live_server: Any) -> None:
    """Swagger UI (web/api_docs.html, web/api-docs.css, web/api-docs.js) as loaded, with an
    operation open and tried, and with the authorization dialog open."""
    page = axe_context.new_page()
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    problems = [("as loaded", v) for v in axe_violations(page)]
    page.locator(".opblock-summary-control").first.click()  # GET /api/v1/districts
    page.locator(".try-out__btn").first.click()
    page.locator(".btn.execute").first.click()
    page.locator(".live-responses-table .microlight").first.wait_for()
    problems += [("an operation tried", v) for v in axe_violations(page)]
    page.locator(".btn.authorize").first.click()
    page.locator(".modal-ux").wait_for()
    problems += [("authorization dialog", v) for v in axe_violations(page)]
    assert problems == [], "\n".join(f"{state}: {_describe(v)}" for state, v in problems)
