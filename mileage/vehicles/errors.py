"""Refusals of the vehicles app (ECO-1, ECO-2, ECO-11, ECO-13)."""

from __future__ import annotations

from mileage.core.errors import DomainError


class BadPlate(DomainError):
    code = "vehicle.bad_plate"
    message = "차량번호 형식이 올바르지 않습니다. 예: 12가3456, 123가4567"


class NotEligible(DomainError):
    """ECO-1: the registry says this vehicle, or this person, may not enrol it."""

    code = "vehicle.not_eligible"
    message = "에코마일리지에 참여할 수 없는 차량입니다."


class PlateAlreadyEnrolled(DomainError):
    code = "vehicle.already_enrolled"  # ECO-1: a vehicle is enrolled at most once
    message = "이미 에코마일리지에 등록된 차량입니다."
    status = 409


class VehicleNotActive(DomainError):
    code = "vehicle.not_active"
    message = "참여가 끝났거나 변경된 차량입니다."
    status = 409


class WalkInNotAllowed(DomainError):
    code = "vehicle.walk_in_not_allowed"  # ECO-2
    message = "서대문구는 구청에서만 방문 신청을 받을 수 있습니다."
    status = 403


class BadEnd(DomainError):
    code = "vehicle.bad_end"
    message = "참여 종료 사유와 날짜를 확인해 주세요."
