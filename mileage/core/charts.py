"""Server-rendered SVG charts (no JavaScript, no inline style: CSP-safe), each with a title for
screen readers and every value in a tooltip; pages put the same figures in a table beside them.

`bar_chart_svg`: horizontal bars, one per label (districts, tiers); `column_chart_svg`: columns
over time (days, weeks, months) with an optional goal line.
"""

from __future__ import annotations

import math
from html import escape

LABEL_WIDTH = 32  # viewBox units a date label takes at font-size 10


def bar_chart_svg(
    bars: list[tuple[str, int]],
    *,
    title: str,
    unit: str,
    width: int = 360,
    css_class: str = "pilot-chart",
) -> str:
    """Horizontal bars, one per label, with the value written after each bar."""
    row_h, left, right, top = 34, 120, 80, 8
    height = top * 2 + row_h * max(len(bars), 1)
    peak = max([v for _, v in bars] + [1])
    plot_w = width - left - right
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * row_h
        w = plot_w * value / peak
        parts.append(
            f'<text x="{left - 6}" y="{y + row_h / 2 + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#222">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 6}" width="{w:.1f}" height="{row_h - 12}" fill="#00558f">'
            f"<title>{escape(label)}: {value:,}{escape(unit)}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
            f'fill="#222">{value:,}{escape(unit)}</text>'
        )
    if not bars:
        parts.append(f'<text x="8" y="{top + 20}" font-size="12" fill="#555">자료 없음</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart_svg(
    bars: list[tuple[str, int]],
    *,
    title: str,
    unit: str,
    goal: int | None = None,
    width: int = 360,
    css_class: str = "walk-chart",
) -> str:
    """Bars with a label under each, a value in each bar's tooltip and an optional goal line."""
    height, top, bottom, left = 180, 16, 28, 8
    n = max(len(bars), 1)
    plot_h = height - top - bottom
    peak = max([v for _, v in bars] + [goal or 0, 1])
    slot = (width - 2 * left) / n
    # A "11/24" label needs about 32 units: on a phone-wide chart of 14 days every other one.
    label_every = max(1, math.ceil(LABEL_WIDTH / slot))
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        h = plot_h * value / peak
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="#00558f"><title>{escape(label)}: {value:,}{escape(unit)}</title></rect>'
        )
        if (n - 1 - i) % label_every == 0:  # the newest bar always keeps its label
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" font-size="10" '
                f'text-anchor="middle" fill="#333">{escape(label)}</text>'
            )
    if goal:
        gy = top + plot_h - plot_h * goal / peak
        parts.append(
            f'<line x1="{left}" x2="{width - left}" y1="{gy:.1f}" y2="{gy:.1f}" '
            f'stroke="#b3261e" stroke-dasharray="4 3"/>'
            f'<text x="{width - left}" y="{gy - 3:.1f}" font-size="10" text-anchor="end" '
            f'fill="#b3261e">{goal:,}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
