"""Server-rendered SVG bar charts of a member's steps by day and by week (no JavaScript)."""

from __future__ import annotations

import datetime as dt

from mileage.core.charts import column_chart_svg


def bar_chart_svg(
    bars: list[tuple[str, int]], *, title: str, goal: int | None = None, width: int = 360
) -> str:
    """Steps as columns (the platform's column chart, in 보) with an optional goal line."""
    return column_chart_svg(bars, title=title, unit="보", goal=goal, width=width)


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
