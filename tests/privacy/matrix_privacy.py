"""Authorization matrix rows for the personal-data access log review page: the city only."""

from __future__ import annotations

from tests.platform.matrix import Row, expect

PAGE = dict(anonymous=302, keys=302)
NOT_CITY = dict(citizen=403, mapo_official=403, jung_official=403, partner_user=403)

CASES: list[Row] = [
    Row("GET", "/privacy/access-log/", expect(**PAGE, **NOT_CITY, city=200)),
    Row(
        "GET",
        "/privacy/access-log/?kind=photo&start=2025-01-01",
        expect(**PAGE, **NOT_CITY, city=200),
        note="filters: the same guard",
    ),
]
