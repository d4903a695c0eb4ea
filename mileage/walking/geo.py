"""Course geometry (WALK-7): route length and an inline SVG drawing, computed server-side.

No map tiles: the site must work offline, so the route is projected onto a small canvas
(equirectangular around the route's mean latitude, good to well under 1% at city scale).
"""

from __future__ import annotations

import itertools
import math
from html import escape
from typing import Any

EARTH_RADIUS_M = 6_371_000.0


def _points(route: dict[str, Any]) -> list[tuple[float, float]]:
    if route.get("type") != "LineString" or len(route.get("coordinates", [])) < 2:
        raise ValueError("route must be a GeoJSON LineString with at least two points")
    return [(float(lon), float(lat)) for lon, lat in route["coordinates"]]


def route_length_km(route: dict[str, Any]) -> float:
    """Great-circle length of a GeoJSON LineString in km (haversine)."""
    total = 0.0
    pts = _points(route)
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(pts):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
    return total / 1000


def route_svg(route: dict[str, Any], *, title: str, width: int = 320, height: int = 240) -> str:
    """An accessible inline SVG of the route: line, start (green) and end (red) dots, scale bar."""
    pts = _points(route)
    mean_lat = math.radians(sum(lat for _, lat in pts) / len(pts))
    metres = [
        (
            math.radians(lon) * EARTH_RADIUS_M * math.cos(mean_lat),
            math.radians(lat) * EARTH_RADIUS_M,
        )
        for lon, lat in pts
    ]
    xs, ys = [x for x, _ in metres], [y for _, y in metres]
    pad = 20
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    scale = min(width - 2 * pad, height - 2 * pad) / span  # px per metre
    off_x = (width - (max(xs) - min(xs)) * scale) / 2
    off_y = (height - (max(ys) - min(ys)) * scale) / 2
    canvas = [
        (off_x + (x - min(xs)) * scale, height - (off_y + (y - min(ys)) * scale)) for x, y in metres
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in canvas)
    (sx, sy), (ex, ey) = canvas[0], canvas[-1]
    bar_m = _nice_scale_m(span / 3)
    bar_px = bar_m * scale
    label = f"{bar_m / 1000:g} km" if bar_m >= 1000 else f"{bar_m:g} m"
    t = escape(title)
    return (
        f'<svg class="walk-route" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="route-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="route-title">{t} 경로 ({route_length_km(route):.1f} km)</title>'
        f'<rect width="{width}" height="{height}" fill="#f4f7f2" rx="8"/>'
        f'<polyline points="{path}" fill="none" stroke="#2b7a4b" stroke-width="4" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="6" fill="#1f9d55"><title>출발</title></circle>'
        f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="6" fill="#c0392b"><title>도착</title></circle>'
        f'<line x1="{pad}" y1="{height - 8}" x2="{pad + bar_px:.1f}" y2="{height - 8}" '
        f'stroke="#333" stroke-width="2"/>'
        f'<text x="{pad}" y="{height - 12}" font-size="11" fill="#333">{label}</text>'
        f"</svg>"
    )


def _nice_scale_m(target_m: float) -> float:
    """The largest of 1-2-5 × 10^n metres not above the target (for the scale bar)."""
    exp = 10 ** math.floor(math.log10(max(target_m, 1)))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return step * exp
    return exp
