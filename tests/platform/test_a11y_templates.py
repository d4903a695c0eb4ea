"""WCAG 2.1 AA details that a template can get wrong everywhere at once (issue #15)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import mileage

TEMPLATES = sorted(Path(mileage.__file__).parent.glob("**/templates/**/*.html"))
SCROLL_BOX = re.compile(r"<div[^>]*class=\"[^\"]*table-wrap[^\"]*\"[^>]*>")  # also pilot-table-wrap


def test_sideways_scrolling_table_boxes_are_reachable_by_keyboard() -> None:
    """axe-core's scrollable-region-focusable: a box that scrolls sideways must take focus, or a
    keyboard user cannot read the columns off screen."""
    boxes = [(path.name, tag) for path in TEMPLATES for tag in SCROLL_BOX.findall(path.read_text())]
    assert boxes, "no table boxes found: the pattern is stale"
    assert [(name, tag) for name, tag in boxes if 'tabindex="0"' not in tag] == []


BUTTON = re.compile(r"<button[^>]*aria-label=\"([^\"]*)\"[^>]*>([^<]*)</button>")


def test_a_buttons_spoken_name_contains_its_visible_text() -> None:
    """axe-core's label-content-name-mismatch (WCAG 2.5.3): a speech user says what they see."""
    buttons = [found for path in TEMPLATES for found in BUTTON.findall(path.read_text())]
    assert [(label, shown) for label, shown in buttons if shown.strip() not in label] == []


def test_api_docs_page_has_a_language_and_loads_the_swagger_fixes(client: Any) -> None:
    """/api/v1/docs is django-ninja's Swagger UI in our own page (web/api_docs.html): axe's
    html-has-lang, and the contrast, button-name and focus fixes loaded after Swagger's own CSS;
    deep links off, since they put a link inside each operation's button (nested-interactive).
    tests/browser/test_accessibility.py runs axe-core on the rendered page."""
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="ko">' in html
    assert "<title>서울 마일리지 API 문서" in html
    assert html.index("ninja/swagger-ui.css") < html.index("web/api-docs.css")
    assert "web/api-docs.js" in html
    settings = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    assert settings is not None and json.loads(settings.group(1))["deepLinking"] is False
