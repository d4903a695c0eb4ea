"""ECO-1 eligibility, ECO-2 recommended initial-reading delay, ECO-4 photo age: checks that the
enrolment and readings apps ask, pure and dated like every other rule."""

from __future__ import annotations

from datetime import date, timedelta

from mileage.rules.params import Parameters

ELIGIBLE_BODY_TYPES = ("passenger", "van")  # 승용, 승합


def eco_vehicle_eligible(
    *,
    seats: int,
    body_type: str,
    commercial: bool,
    registered_in_seoul: bool,
    params: Parameters,
    on: date,
) -> bool:
    """ECO-1: eligible vehicle (참여대상): registered in Seoul, passenger car or van with at
    most 12 seats, not for commercial use (비사업용)."""
    return (
        registered_in_seoul
        and not commercial
        and body_type in ELIGIBLE_BODY_TYPES
        and seats <= int(params.at("eco.max_seats", on))
    )


def initial_reading_late(registered_on: date, uploaded_on: date, params: Parameters) -> bool:
    """ECO-2: initial reading (주행거리 최초등록) after the recommended 14 days: accepted, warned."""
    days = int(params.at("eco.initial_reading_recommended_days", registered_on))
    return uploaded_on > registered_on + timedelta(days=days)


def photo_too_old(taken_on: date, uploaded_on: date, params: Parameters) -> bool:
    """ECO-4: photo age (촬영일) over 183 days on its upload day is refused; exactly 183 is not."""
    return (uploaded_on - taken_on).days > int(params.at("eco.photo_max_age_days", uploaded_on))
