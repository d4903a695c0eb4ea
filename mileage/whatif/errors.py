"""Refusals of a budget what-if (issue #14), each with a Korean message for the city."""

from __future__ import annotations

from mileage.core.errors import DomainError


class NoChanges(DomainError):
    code = "whatif.no_changes"
    message = "바꾼 파라미터가 없습니다. 시뮬레이션하려면 지금 값과 다른 값을 하나 이상 입력하세요."


class BadWindow(DomainError):
    code = "whatif.bad_window"
    message = "기간을 올바른 날짜로 입력하세요 (시작일이 끝일보다 늦을 수 없습니다)."


class UnknownProgramme(DomainError):
    code = "whatif.unknown_programme"
    message = "시뮬레이션할 수 없는 사업입니다."


class NotForProgramme(DomainError):
    code = "whatif.parameter_not_for_programme"
    message = "이 사업의 시뮬레이션에서 바꿀 수 있는 파라미터가 아닙니다."
