"""Korean display text (mileage.core.text): dates and engine messages as citizens read them."""

from __future__ import annotations

import datetime as dt

from mileage.core.text import korean_date, korean_dates, korean_part, with_particle


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


def test_particles_follow_the_last_sound() -> None:
    """Issue #15: "푸른서울나눔재단이(가)" → the particle the name takes."""
    assert with_particle("푸른서울나눔재단", "이/가") == "푸른서울나눔재단이"
    assert with_particle("서울시", "이/가") == "서울시가"
    assert with_particle("걷자앱", "을/를") == "걷자앱을"
    assert with_particle("워크온", "은/는") == "워크온은"
    assert with_particle("캐시워크", "과/와") == "캐시워크와"
    assert with_particle("서울", "으로/로") == "서울로"  # ㄹ takes 로
    assert with_particle("공원", "으로/로") == "공원으로"
    assert with_particle("WalkOn", "이/가") == "WalkOn이"  # 온: a final consonant
    assert with_particle("Bigwalk", "이/가") == "Bigwalk가"
    assert with_particle("걷기 2", "이/가") == "걷기 2가" and with_particle("3", "이/가") == "3이"
