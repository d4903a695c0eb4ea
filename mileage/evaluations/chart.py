"""Server-rendered SVG bar chart of awards by tier and district (no JavaScript library)."""

from __future__ import annotations

from django.utils.html import escape

COLORS = {"regular": "#1f6feb", "maintenance": "#2da44e"}


def awards_svg(rows: list[dict], names: dict[str, str]) -> str:
    """rows: {district_code, kind, tier, mileage}; one stacked bar per district."""
    by_district: dict[str, list[dict]] = {}
    for row in rows:
        by_district.setdefault(row["district_code"], []).append(row)
    if not by_district:
        return "<p>지급 대상이 없습니다.</p>"
    top = max(sum(r["mileage"] or 0 for r in rs) for rs in by_district.values()) or 1
    # shade by tier against the highest tier paid (the tables are the rules' parameters)
    top_tier = max(r["tier"] or 0 for r in rows) or 1
    bar_h, gap, label_w, width = 18, 6, 90, 560
    height = len(by_district) * (bar_h + gap) + 20
    parts = [
        f'<svg role="img" aria-label="자치구별·등급별 지급 마일리지" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    for i, (code, rs) in enumerate(sorted(by_district.items())):
        y = i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 13}">{escape(names.get(code, code))}</text>')
        x = label_w
        for r in sorted(rs, key=lambda r: (r["kind"], r["tier"])):
            w = (width - label_w - 10) * (r["mileage"] or 0) / top
            shade = 0.4 + 0.6 * (r["tier"] or 0) / top_tier
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLORS.get(r["kind"], "#888")}" fill-opacity="{shade:.2f}">'
                f"<title>{escape(names.get(code, code))} {escape(r['kind'])} {r['tier']:,}: "
                f"{r['mileage']:,}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return "".join(parts)
