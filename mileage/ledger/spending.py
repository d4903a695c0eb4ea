"""Uses of mileage (LEDGER-1, LEDGER-2, WALK-6): donation and external uses.

Each use is one ledger transaction from the member's wallet, spending the oldest unexpired
mileage first; a short balance is refused with a Korean message and writes nothing.
"""

from __future__ import annotations

from typing import Any

from . import services as ledger
from . import uses
from .errors import InvalidAmount, LedgerError
from .external import ExternalPayments
from .models import Account, AccountKind, ExternalUse, Transaction, TxKind, UseKind, UseOption


class ExternalUseFailed(LedgerError):
    code = "ledger.external_use_failed"
    message = (
        "외부 사용 요청이 처리되지 않아 마일리지를 모두 돌려드렸습니다. 잠시 후 다시 시도해 주세요."
    )
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
    """Pay a local tax bill, top up a transit card or buy a gift certificate with mileage.

    Goes through the catalogue's hold → settle / return flow (`mileage.ledger.uses`): the same
    minimum and unit as on the wallet pages, one request per key (run it twice, paid once). A
    refusal or time-out gives the mileage back in full and raises `ExternalUseFailed`.
    """
    option = (
        UseOption.objects.filter(kind=use, active=True).exclude(kind=UseKind.DONATION).first()
        if use in UseKind.values
        else None
    )
    if option is None or option.kind == UseKind.COUPON:
        raise UnknownExternalUse()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount()
    record = uses.request_use(member, option, amount, reference, key=key, payments=payments)
    if record.status == ExternalUse.Status.RETURNED:
        raise ExternalUseFailed()
    return record
