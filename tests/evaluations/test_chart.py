"""The awards chart shades tiers from the run's own results, not a copied ECO-9 table."""

from __future__ import annotations

import re

from mileage.evaluations.chart import awards_svg


def _opacities(svg: str) -> list[str]:
    return re.findall(r'fill-opacity="([0-9.]+)"', svg)


def test_eco9_tiers_above_the_published_table_get_their_own_shade() -> None:
    """With tiers the city raised (90,000 above 70,000), each tier keeps a distinct shade and
    the highest paid tier is the fullest."""
    rows = [
        {"district_code": "11440", "kind": "regular", "tier": 70000, "mileage": 140000},
        {"district_code": "11440", "kind": "regular", "tier": 90000, "mileage": 90000},
        {"district_code": "11440", "kind": "maintenance", "tier": 13000, "mileage": 13000},
    ]
    shades = _opacities(awards_svg(rows, {"11440": "마포구"}))
    assert shades == ["0.49", "0.87", "1.00"]  # maintenance 13,000, regular 70,000, 90,000
