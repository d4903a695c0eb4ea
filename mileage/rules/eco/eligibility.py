"""ECO-1 eligibility, ECO-2 recommended initial-reading delay and walk-in places, ECO-4 photo age:
checks that the vehicles and readings apps ask, pure and dated like every other rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from mileage.rules.params import Parameters
from mileage.rules.vehicle import vehicle_failures

ELIGIBLE_BODY_TYPES = ("passenger", "van")  # 승용, 승합
CO_OWNER = "co-owner"  # ECO-1: a co-owner who is not the representative owner
NOT_OWNER = "not-owner"


def eco_vehicle_failures(
    *,
    seats: int,
    body_type: str,
    commercial: bool,
    registered_in_seoul: bool,
    params: Parameters,
    on: date,
) -> list[str]:
    """ECO-1: the conditions of an eligible vehicle (참여대상) this one fails (empty: eligible):
    registered in Seoul, passenger car or van with at most 12 seats, not for commercial use
    (비사업용). Codes from `mileage.rules.vehicle`."""
    return vehicle_failures(
        seats=seats,
        max_seats=int(params.at("eco.max_seats", on)),
        body_type=body_type,
        body_types=ELIGIBLE_BODY_TYPES,
        commercial=commercial,
        registered_in_seoul=registered_in_seoul,
    )


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
    return not eco_vehicle_failures(
        seats=seats,
        body_type=body_type,
        commercial=commercial,
        registered_in_seoul=registered_in_seoul,
        params=params,
        on=on,
    )


def eco_enrolling_person_failure(
    person_key: str, owner_key: str, co_owner_keys: Collection[str]
) -> str | None:
    """ECO-1: only the representative owner (대표 소유자) enrols a vehicle; a co-owner may not
    (`CO_OWNER`), nor anybody else (`NOT_OWNER`). None: this person may enrol it."""
    if person_key in co_owner_keys:
        return CO_OWNER
    if person_key != owner_key:
        return NOT_OWNER
    return None


def walk_in_district_office_only(district_code: str, params: Parameters, on: date) -> bool:
    """ECO-2: in these districts (서대문구) a walk-in enrolment (방문신청) is taken at the
    district office (구청) only, not at a community centre (주민센터)."""
    return district_code in params.at("eco.walk_in_district_office_only", on)


def initial_reading_late(registered_on: date, uploaded_on: date, params: Parameters) -> bool:
    """ECO-2: initial reading (주행거리 최초등록) after the recommended 14 days: accepted, warned."""
    days = int(params.at("eco.initial_reading_recommended_days", registered_on))
    return uploaded_on > registered_on + timedelta(days=days)


def photo_too_old(taken_on: date, uploaded_on: date, params: Parameters) -> bool:
    """ECO-4: photo age (촬영일) over 183 days on its upload day is refused; exactly 183 is not."""
    return (uploaded_on - taken_on).days > int(params.at("eco.photo_max_age_days", uploaded_on))
