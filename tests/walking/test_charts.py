"""Walking charts fit a phone: date labels under the bars never overlap (390 px screen)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from mileage.core.charts import LABEL_WIDTH
from mileage.walking.charts import bar_chart_svg, daily_bars, weekly_bars


def _label_xs(svg: str) -> list[float]:
    return [
        float(x)
        for x in re.findall(
            r'<text x="([0-9.]+)" y="[0-9.]+" font-size="10" '
            r'text-anchor="middle"',
            svg,
        )
    ]


def test_walk_chart_14_days_labels_do_not_overlap_and_the_newest_day_is_labelled() -> None:
    end = dt.date(2026, 11, 24)
    svg = bar_chart_svg(daily_bars({end: 8000}, end), title="최근 14일")
    xs = _label_xs(svg)
    assert 2 <= len(xs) < 14
    assert all(b - a >= LABEL_WIDTH for a, b in itertools.pairwise(xs))
    assert ">11/24</text>" in svg and svg.count("<rect") == 14


def test_walk_chart_8_weeks_keeps_every_label() -> None:
    end = dt.date(2026, 11, 24)
    svg = bar_chart_svg(weekly_bars({}, end), title="최근 8주")
    assert len(_label_xs(svg)) == 8
