"""Server-rendered SVG of a what-if: per district, the current and the proposed mileage side by
side (no JavaScript). Accessible: `role="img"`, a `<title>` and a `<desc>` with the totals, a
tooltip per bar, and the page's district table as the text alternative."""

from __future__ import annotations

from html import escape
from typing import Any

CURRENT, PROPOSED = "#5b6b7a", "#c2410c"  # both 4.5:1 or better on white


def _bar(x: float, y: float, w: float, h: int, fill: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.0):.1f}" height="{h}" fill="{fill}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def comparison_svg(report: dict[str, Any]) -> str:
    """One pair of bars per district (현재 위, 변경안 아래), scaled to the largest."""
    rows = report["districts"]
    title = "자치구별 지급 마일리지: 현재 기준과 변경안"
    if not rows:
        return "<p>이 기간에 평가할 실적이 없습니다.</p>"
    desc = (
        f"합계 현재 {report['current']['mileage']:,}, 변경안 {report['proposed']['mileage']:,}, "
        f"차이 {report['difference']:+,}. 자세한 값은 아래 자치구별 표에 있습니다."
    )
    top = max(max(r["current"], r["proposed"]) for r in rows) or 1
    bar_h, gap, label_w, width, legend_h = 11, 8, 80, 600, 24
    plot_w = width - label_w - 90
    height = legend_h + len(rows) * (2 * bar_h + gap) + 4
    parts = [
        f'<svg role="img" aria-labelledby="whatif-chart-title whatif-chart-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="12" data-testid="whatif-chart">',
        f'<title id="whatif-chart-title">{escape(title)}</title>',
        f'<desc id="whatif-chart-desc">{escape(desc)}</desc>',
        f'<rect x="{label_w}" y="4" width="12" height="12" fill="{CURRENT}"/>'
        f'<text x="{label_w + 16}" y="14">현재 기준</text>'
        f'<rect x="{label_w + 100}" y="4" width="12" height="12" fill="{PROPOSED}"/>'
        f'<text x="{label_w + 116}" y="14">변경안</text>',
    ]
    for i, row in enumerate(rows):
        y = legend_h + i * (2 * bar_h + gap)
        name = row["name"]
        parts.append(f'<text x="0" y="{y + bar_h + 4}">{escape(name)}</text>')
        for k, (side, fill, label) in enumerate(
            (("current", CURRENT, "현재 기준"), ("proposed", PROPOSED, "변경안"))
        ):
            w = plot_w * row[side] / top
            by = y + k * bar_h
            parts.append(_bar(label_w, by, w, bar_h - 1, fill, f"{name} {label}: {row[side]:,}"))
            if k == 1:
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{by + bar_h - 2}" font-size="10" '
                    f'fill="#333">{row["difference"]:+,}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
