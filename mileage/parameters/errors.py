"""Refusals of a parameter change (issue #14), each with a Korean message for the city."""

from __future__ import annotations

from mileage.core.errors import DomainError


class UnknownParameter(DomainError):
    code = "parameter.unknown"
    message = "알 수 없는 파라미터입니다."
    status = 404


class BadParameterValue(DomainError):
    code = "parameter.bad_value"
    message = "값이 올바르지 않습니다."


class Retroactive(DomainError):
    code = "parameter.retroactive"
    message = "이미 승인된 평가에 쓰인 값은 소급해 바꿀 수 없습니다."
    status = 409


class OwnProposal(DomainError):
    code = "parameter.own_proposal"
    message = "자신이 제안한 값은 승인하거나 반려할 수 없습니다. 다른 담당자의 결정이 필요합니다."
    status = 403


class NotYours(DomainError):
    code = "parameter.not_yours"
    message = "자신이 제안한 값만 철회할 수 있습니다."
    status = 403


class AlreadyDecided(DomainError):
    code = "parameter.decided"
    message = "이미 처리된 제안입니다."
    status = 409
