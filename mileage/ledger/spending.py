"""Uses of mileage (LEDGER-1, LEDGER-2, WALK-6): donation and external uses.

Each use is one ledger transaction from the member's wallet, spending the oldest unexpired
mileage first; a short balance is refused with a Korean message and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from . import services as ledger
from .errors import InvalidAmount, LedgerError
from .external import ExternalPayments, get_external_payments
from .models import Account, AccountKind, ExternalUse, Transaction, TxKind


class ExternalUseFailed(LedgerError):
    code = "ledger.external_use_failed"
    message = "외부 사용 요청이 처리되지 않았습니다. 잠시 후 다시 시도해 주세요."
    status = 409


class UnknownExternalUse(LedgerError):
    code = "ledger.unknown_external_use"
    message = "지원하지 않는 사용처입니다."


def donate(
    member: Any, beneficiary: Account, amount: int, *, key: str, memo: str = ""
) -> Transaction:
    """Donate mileage from the member's wallet to a beneficiary (기부)."""
    if beneficiary.kind != AccountKind.BENEFICIARY:
        raise LedgerError("기부처 계정이 아닙니다.", code="ledger.not_a_beneficiary")
    wallet = ledger.account(AccountKind.WALLET, user=member)
    return ledger.transfer(
        key,
        wallet,
        beneficiary,
        amount,
        kind=TxKind.DONATION,
        memo=memo or f"{beneficiary.name}에 기부",
    )


def use_externally(
    member: Any,
    use: str,
    reference: str,
    amount: int,
    *,
    key: str,
    payments: ExternalPayments | None = None,
) -> ExternalUse:
    """Pay a local tax bill or top up a transit card with mileage (one ledger transaction).

    The request, the ledger transaction and the confirmation are written in one database
    transaction: if the outside system refuses, nothing is kept. The same key returns the
    recorded use (run it twice, paid once).
    """
    if use not in ExternalUse.Use.values:
        raise UnknownExternalUse()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount()
    done = ExternalUse.objects.filter(key=key).first()
    if done is not None:
        if (done.user_id, done.use, done.reference, done.amount) != (
            member.pk,
            use,
            reference,
            amount,
        ):
            raise ledger.IdempotencyConflict()
        return done
    payments = payments or get_external_payments()
    wallet = ledger.account(AccountKind.WALLET, user=member)
    sink = ledger.account(AccountKind.EXTERNAL, name=ExternalUse.Use(use).label)
    with transaction.atomic():
        record = ExternalUse.objects.create(
            key=key, user=member, use=use, reference=reference, amount=amount
        )
        record.transaction = ledger.transfer(
            f"external:{key}",
            wallet,
            sink,
            amount,
            kind=TxKind.EXTERNAL,
            memo=f"{ExternalUse.Use(use).label} ({reference})",
        )
        try:
            record.confirmation = payments.pay(record)
        except Exception as error:  # the outside system said no: roll everything back
            raise ExternalUseFailed() from error
        record.confirmed_at = timezone.now()
        record.save(update_fields=["transaction", "confirmation", "confirmed_at"])
    return record
