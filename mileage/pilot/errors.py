"""Errors of programmes run through partners: a stable code, a Korean message, an HTTP status."""

from __future__ import annotations

from mileage.core.errors import DomainError


class CapReached(DomainError):
    code = "pilot.cap_reached"  # PILOT-1
    message = (
        "시범사업 모집 인원({cap:,}대)이 모두 찼습니다. 선착순 모집이 마감되어 더 이상 가입할 수 "
        "없습니다."
    )
    status = 409


class NotEligible(DomainError):
    code = "pilot.not_eligible"  # PILOT-2
    message = "시범사업 참여 대상이 아닙니다."
    status = 400


class OwnerNotVerified(DomainError):
    code = "pilot.owner_not_verified"  # PILOT-2: the policyholder must own the vehicle
    message = (
        "보험 가입자의 본인확인 정보(CI)가 자동차 등록원부의 차량 소유자와 일치하지 않습니다. "
        "차량의 대표 소유자 본인만 가입할 수 있습니다."
    )
    status = 400


class ConsentRequired(DomainError):
    code = "pilot.consent_required"  # PILOT-2
    message = (
        "개인정보 및 주행거리 정보의 서울시 제공에 대한 회원 동의(동의 일시와 동의 문구)가 "
        "있어야 가입할 수 있습니다."
    )
    status = 400


class ContractOutsidePeriod(DomainError):
    code = "pilot.contract_outside_period"  # PILOT-1/PILOT-2, E-12
    message = "보험계약일이 시범사업 기간에 속하지 않습니다."
    status = 400


class AlreadyEnrolled(DomainError):
    code = "pilot.already_enrolled"
    message = "이 차량은 이미 시범사업에 가입되어 있습니다."
    status = 409


class NotAParticipant(DomainError):
    code = "pilot.partner_not_in_programme"
    message = "이 기관은 해당 사업의 참여 기관이 아닙니다."
    status = 403


class MethodNotOffered(DomainError):
    code = "pilot.method_not_offered"  # PILOT-2: Hanwha and MG photo only
    message = "이 보험사는 해당 주행거리 확인 방식을 제공하지 않습니다."
    status = 400


class EnrolmentNotFound(DomainError):
    code = "pilot.enrolment_not_found"
    message = "가입 정보를 찾을 수 없습니다."
    status = 404


class EnrolmentClosed(DomainError):
    code = "pilot.enrolment_closed"
    message = "무효 처리되었거나 종료된 가입에는 주행거리를 제출할 수 없습니다."
    status = 409


class LateReading(DomainError):
    code = "pilot.reading_late"  # PILOT-3, PILOT-10
    message = "전송 기한이 지났습니다."
    status = 409


class ReadingOutOfOrder(DomainError):
    code = "pilot.reading_out_of_order"  # PILOT-3
    message = "제출 순서가 올바르지 않습니다."
    status = 409


class KmDecreased(DomainError):
    code = "pilot.km_decreased"  # E-1
    message = "누적주행거리가 이전 제출값보다 작습니다."
    status = 400


class BadSignature(DomainError):
    code = "partner_reading.bad_signature"  # ECO-18, PILOT-3 OBD
    message = "서명이 올바르지 않습니다. 주행거리 정보가 변경되었거나 서명 키가 다릅니다."
    status = 400


class UnknownSigningKey(DomainError):
    code = "partner_reading.unknown_key"
    message = "등록되지 않았거나 폐기된 서명 키입니다."
    status = 400


class NoConsent(DomainError):
    code = "partner_reading.no_consent"  # ECO-18
    message = "회원이 커넥티드카 주행거리 정보 제공에 동의하지 않은 차량입니다."
    status = 403


class BadTimestamp(DomainError):
    code = "partner_reading.bad_timestamp"
    message = "측정 시각은 시간대를 포함한 ISO 8601 형식이어야 하며 미래일 수 없습니다."
    status = 400


class BadBankAccount(DomainError):
    code = "pilot.bad_bank_account"  # PILOT-8
    message = "계좌번호는 숫자 10~16자리로 입력해 주세요."
    status = 400


class VehicleNotFound(DomainError):
    code = "pilot.vehicle_not_found"
    message = "차량을 찾을 수 없습니다."
    status = 404


class BadVoid(DomainError):
    code = "pilot.void_refused"  # PILOT-10
    message = "무효 사유를 골라 주세요."
    status = 400


class VoidAfterPayment(DomainError):
    code = "pilot.void_after_payment"  # PILOT-10, LEDGER-1
    message = (
        "인센티브가 이미 지급되어 무효 처리할 수 없습니다. 지급된 인센티브의 환수는 "
        "서울시 담당자가 별도로 처리합니다."
    )
    status = 409
