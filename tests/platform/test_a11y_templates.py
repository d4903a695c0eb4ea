"""WCAG 2.1 AA details that a template can get wrong everywhere at once (issue #15)."""

from __future__ import annotations

import re
from pathlib import Path

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
