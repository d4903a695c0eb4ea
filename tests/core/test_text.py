"""Korean display text (mileage.core.text): dates and engine messages as citizens read them."""

from __future__ import annotations

import datetime as dt

from mileage.core.text import korean_date, korean_dates, korean_part


def test_dates_read_the_korean_way() -> None:
    assert korean_date(dt.date(2026, 1, 5)) == "2026. 1. 5."
    assert korean_date(None) == ""
    assert (
        korean_dates("지급일 2027-01-20, 2026-11-23 승인")
        == "지급일 2027. 1. 20., 2026. 11. 23. 승인"
    )


def test_engine_aside_is_dropped_but_korean_parentheses_and_units_stay() -> None:
    message = "이전 기록보다 주행거리가 줄었습니다 (went backwards from 89400 km, E-1)"
    assert korean_part(message) == "이전 기록보다 주행거리가 줄었습니다"
    assert korean_part("평가 주기 무효 (ECO-14)") == "평가 주기 무효"
    assert korean_part("일평균 (8.06 km) 기준") == "일평균 (8.06 km) 기준"
    assert korean_part("서울 (강남구 기준, 2025년)") == "서울 (강남구 기준, 2025년)"
