"""A server-rendered SVG bar chart (no JavaScript, no inline style: CSP-safe)."""

from __future__ import annotations

from html import escape


def bar_chart_svg(bars: list[tuple[str, int]], *, title: str, unit: str, width: int = 360) -> str:
    """Horizontal bars, one per label, with the value written after each bar."""
    row_h, left, right, top = 34, 120, 80, 8
    height = top * 2 + row_h * max(len(bars), 1)
    peak = max([v for _, v in bars] + [1])
    plot_w = width - left - right
    parts = [
        f'<svg class="pilot-chart" viewBox="0 0 {width} {height}" role="img" '
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
