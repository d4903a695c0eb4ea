"""Server-rendered SVG bar charts of a member's steps by day and by week (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import math
from html import escape

LABEL_WIDTH = 32  # viewBox units a date label takes at font-size 10


def bar_chart_svg(
    bars: list[tuple[str, int]], *, title: str, goal: int | None = None, width: int = 360
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
        f'<svg class="walk-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        h = plot_h * value / peak
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="#00558f"><title>{escape(label)}: {value:,}보</title></rect>'
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
            f'fill="#b3261e">{goal:,}보</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def daily_bars(totals: dict[dt.date, int], end: dt.date, days: int = 14) -> list[tuple[str, int]]:
    out = []
    for i in range(days - 1, -1, -1):
        d = end - dt.timedelta(days=i)
        out.append((f"{d.month}/{d.day}", totals.get(d, 0)))
    return out


def weekly_bars(totals: dict[dt.date, int], end: dt.date, weeks: int = 8) -> list[tuple[str, int]]:
    """Weeks start on Monday; the label is the Monday's date."""
    monday = end - dt.timedelta(days=end.weekday())
    out = []
    for i in range(weeks - 1, -1, -1):
        start = monday - dt.timedelta(weeks=i)
        total = sum(totals.get(start + dt.timedelta(days=k), 0) for k in range(7))
        out.append((f"{start.month}/{start.day}~", total))
    return out
