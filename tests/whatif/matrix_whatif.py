"""Authorization matrix rows for the budget what-if pages (issue #14): city managers only."""

from __future__ import annotations

from typing import Any

from tests.platform.matrix import Row, expect

CITY_ONLY = expect(
    anonymous=302, keys=302, citizen=403, partner_user=403, mapo_official=403,
    jung_official=403, city=200,
)  # fmt: skip
CHANGE = {"name": "eco.maintenance_award", "key": "2023-05-01", "value": "12000"}


def _done(world: Any) -> dict[str, Any]:
    import datetime as dt

    from mileage.whatif import services
    from tests.factories import second_city_manager

    sim = services.start(
        second_city_manager(), "eco-car", dt.date(2025, 5, 1), dt.date(2025, 6, 30), [CHANGE]
    )
    return {"sim": services.run_simulation(sim).pk}


CASES: list[Row] = [
    Row("GET", "/city/whatif/", CITY_ONLY),
    Row(
        "POST",
        "/city/whatif/",
        {**CITY_ONLY, "city": 302},
        form={
            "programme": "eco-car",
            "window_from": "2025-05-01",
            "window_to": "2025-06-30",
            "name_0": CHANGE["name"],
            "key_0": CHANGE["key"],
            "value_0": CHANGE["value"],
        },
        note="only the city runs a what-if",
    ),
    Row("GET", "/city/whatif/{sim}/", CITY_ONLY, setup=_done),
    Row("GET", "/city/whatif/{sim}/progress/", CITY_ONLY, setup=_done),
    Row("GET", "/city/whatif/{sim}.xlsx", CITY_ONLY, setup=_done),
]
