"""Refusals of the readings app: stable codes, Korean messages (STYLE §5)."""

from __future__ import annotations

from mileage.core.errors import DomainError


class PhotoTooLarge(DomainError):
    code = "reading.photo_too_large"
    message = "사진 파일이 너무 큽니다. 15MB 이하의 사진을 올려 주세요."


class PhotoTooManyPixels(DomainError):
    code = "reading.photo_too_many_pixels"
    message = (
        "사진의 해상도가 너무 큽니다(압축 폭탄 의심). 휴대전화로 찍은 원본 사진을 올려 주세요."
    )


class PhotoNotAnImage(DomainError):
    code = "reading.photo_not_an_image"
    message = "사진 파일이 아닙니다. JPEG, PNG 또는 HEIC 사진을 올려 주세요."


class PhotoDamaged(DomainError):
    code = "reading.photo_damaged"
    message = "사진 파일이 손상되어 열 수 없습니다. 다시 찍어 올려 주세요."


class PhotoNotStored(DomainError):
    code = "reading.photo_not_stored"
    message = "사진을 저장하지 못해 등록하지 않았습니다. 잠시 뒤 다시 올려 주세요."
    status = 503


class PhotoMissing(DomainError):
    code = "reading.photo_missing"
    message = "차량번호판 사진과 계기판 사진을 모두 올려 주세요."


class PhotoTooOld(DomainError):
    code = "reading.photo_too_old"  # ECO-4
    message = "등록일 기준 183일보다 먼저 촬영된 사진은 등록할 수 없습니다."


class PhotoFromFuture(DomainError):
    code = "reading.photo_from_future"  # ECO-4
    message = "사진 촬영일이 등록일보다 늦습니다. 기기의 날짜를 확인해 주세요."


class PhotoBeforePrevious(DomainError):
    code = "reading.photo_before_previous"  # ECO-4
    message = "사진 촬영일이 이전에 승인된 주행거리 등록보다 앞섭니다."


class BadKm(DomainError):
    code = "reading.bad_km"
    message = "누적주행거리(km)를 0 이상의 정수로 입력해 주세요."


class WindowNotOpen(DomainError):
    code = "reading.window_not_open"  # ECO-5, ECO-17
    message = "아직 등록 기간이 아닙니다."


class WrongEvent(DomainError):
    code = "reading.wrong_event"
    message = "지금은 이 주행거리 등록을 할 수 없습니다."
    status = 409


class AlreadyPending(DomainError):
    code = "reading.already_pending"
    message = "심사 중인 등록이 있습니다. 심사 결과를 기다려 주세요."
    status = 409


class AlreadyDecided(DomainError):
    code = "reading.already_decided"
    message = "다른 담당자가 먼저 처리했습니다. 화면을 새로 고쳐 결과를 확인해 주세요."
    status = 409


class NotYourDistrict(DomainError):
    code = "reading.not_your_district"
    message = "담당 자치구의 차량만 처리할 수 있습니다."
    status = 403


class BadDecision(DomainError):
    code = "reading.bad_decision"
    message = "반려 사유를 선택해 주세요."


class AlreadyVoided(DomainError):
    code = "reading.cycle_already_voided"
    message = "이미 무효 처리된 평가 주기입니다."
    status = 409


class AppealNotAllowed(DomainError):
    code = "reading.appeal_not_allowed"
    message = "반려되었거나 무효 처리된 건에만 이의신청을 할 수 있습니다."
    status = 409


class AppealExists(DomainError):
    code = "reading.appeal_exists"
    message = "이 건에는 이미 이의신청을 하셨습니다. 이의신청은 한 번만 할 수 있습니다."
    status = 409


class AppealClosed(DomainError):
    code = "reading.appeal_closed"
    message = "이미 답변이 끝난 이의신청입니다."
    status = 409
