"""Evaluation run errors (ECO-12): stable codes, Korean messages."""

from __future__ import annotations

from mileage.core.errors import DomainError


class RunAlreadyExists(DomainError):
    code = "evaluations.run_exists"
    message = "같은 프로그램과 기간의 평가가 이미 진행 중이거나 완료되었습니다."
    status = 409


class RunNotReady(DomainError):
    code = "evaluations.run_not_ready"
    message = "평가가 아직 끝나지 않아 승인할 수 없습니다."
    status = 409


class RunNotSignedOff(DomainError):
    code = "evaluations.not_signed_off"
    message = "담당자 승인 전에는 마일리지를 지급할 수 없습니다."
    status = 409


class BadWindow(DomainError):
    code = "evaluations.bad_window"
    message = "평가 기간이 올바르지 않습니다. 시작일이 끝일보다 늦을 수 없습니다."
    status = 400


class UnknownProgramme(DomainError):
    code = "evaluations.unknown_programme"
    message = "평가할 수 없는 사업입니다."
    status = 400


class BrokerUnavailable(DomainError):
    code = "evaluations.broker_unavailable"
    message = (
        "작업 서버에 연결할 수 없어 실행하지 않았습니다. 평가나 지급은 시작되지 않았고 "
        "아무것도 바뀌지 않았습니다. 잠시 후 다시 시도하세요."
    )
    status = 503


class WindowNotEnded(DomainError):
    code = "evaluations.window_not_ended"
    message = "평가 기간이 아직 끝나지 않았습니다. 기간의 마지막 날이 지난 뒤에 평가를 시작하세요."
    status = 400


class RunOverlaps(RunAlreadyExists):  # a live run of the programme covers part of the window
    code = "evaluations.run_overlaps"
    message = "이미 같은 사업의 다른 평가와 기간이 겹칩니다."
    status = 409


class RunNotCancellable(DomainError):
    code = "evaluations.run_not_cancellable"
    message = "승인되었거나 지급된 평가는 취소할 수 없습니다."
    status = 409


class CancelReasonMissing(DomainError):
    code = "evaluations.cancel_reason_missing"
    message = "취소 사유를 입력하세요."
    status = 400


class RunCancelled(DomainError):
    code = "evaluations.run_cancelled"
    message = "취소된 평가는 승인하거나 지급할 수 없습니다."
    status = 409
