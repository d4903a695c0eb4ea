"""Authorization matrix rows for the city's parameter pages (issue #14).

Officials and the city read the parameters and their history; only the city proposes, and only
another city manager than the proposer approves or rejects. Citizens and partners: nothing.
"""

from __future__ import annotations

from typing import Any

from tests.platform.matrix import Row, expect

ANON = dict(anonymous=302, keys=302)
CITY_AND_OFFICIALS = expect(
    **ANON, citizen=403, partner_user=403, mapo_official=200, jung_official=200, city=200
)
AVERAGE = "common.seoul_average_annual_km"


def _city_only(city: int) -> dict[str, int]:
    return expect(
        **ANON, citizen=403, partner_user=403, mapo_official=403, jung_official=403, city=city
    )


def _proposed(world: Any) -> dict[str, Any]:
    """A proposal by the second city manager, so the matrix's city manager may decide it."""
    from mileage.parameters import services
    from tests.factories import second_city_manager

    change = services.propose(
        second_city_manager(), AVERAGE, "2023", 10050, "국토교통부 통계", "2023년 통계"
    )
    return {"change": change.pk}


def _own(world: Any) -> dict[str, Any]:
    from mileage.parameters import services

    change = services.propose(
        world["city_manager"], AVERAGE, "2023", 10050, "국토교통부 통계", "2023년 통계"
    )
    return {"change": change.pk}


CASES: list[Row] = [
    Row("GET", "/city/parameters/", CITY_AND_OFFICIALS),
    Row("GET", f"/city/parameters/{AVERAGE}/", CITY_AND_OFFICIALS),
    Row("GET", "/city/parameters/pending/", _city_only(200)),
    Row(
        "POST",
        f"/city/parameters/{AVERAGE}/propose/",
        _city_only(302),
        form={"key": "2023", "value": "10050", "source": "통계", "reason": "발표"},
        note="only the city proposes a parameter value",
    ),
    Row(
        "POST",
        "/city/parameters/changes/{change}/approve/",
        _city_only(302),
        setup=_proposed,
        note="four eyes: another city manager than the proposer",
    ),
    Row(
        "POST",
        "/city/parameters/changes/{change}/reject/",
        _city_only(302),
        form={"note": "출처 확인 필요"},
        setup=_proposed,
    ),
    Row(
        "POST",
        "/city/parameters/changes/{change}/withdraw/",
        _city_only(302),
        setup=_own,
        note="only the proposer withdraws",
    ),
]
