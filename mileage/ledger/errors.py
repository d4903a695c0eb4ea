"""Ledger errors (LEDGER-1): stable codes, Korean messages for people."""

from __future__ import annotations

from mileage.core.errors import DomainError


class LedgerError(DomainError):
    code = "ledger.error"
    message = "마일리지 처리 중 오류가 발생했습니다."
    status = 400


class UnbalancedTransaction(LedgerError):
    """LEDGER-1: the legs of a transaction must sum to zero."""

    code = "ledger.unbalanced"
    message = "거래의 차변과 대변 합계가 일치하지 않습니다."


class InsufficientMileage(LedgerError):
    """LEDGER-1: a wallet never goes below zero."""

    code = "ledger.insufficient_mileage"
    message = "마일리지 잔액이 부족합니다."
    status = 409


class IdempotencyConflict(LedgerError):
    """The same key was already used for a transaction with other legs."""

    code = "ledger.idempotency_conflict"
    message = "같은 거래 번호로 다른 내용의 거래가 이미 기록되어 있습니다."
    status = 409


class AlreadyReversed(LedgerError):
    code = "ledger.already_reversed"
    message = "이미 취소된 거래입니다."
    status = 409


class InvalidAmount(LedgerError):
    code = "ledger.invalid_amount"
    message = "마일리지 금액이 올바르지 않습니다. 1 이상의 정수를 입력하세요."
