"""Using mileage outside the wallet (WALK-6, LEDGER-1, LEDGER-2): hold, call, settle or return.

    use = uses.request_use(member, option, 10_000, "010-1234-5678", key=key)

1. In one database transaction: the request row (unique `key`) and the hold, wallet → the
   member's hold account (`use:<id>:hold`, oldest unexpired lots first). A short wallet, an
   amount under the minimum or off the unit writes nothing.
2. Outside any transaction: the kind's adapter (`mileage.ledger.external`), in a worker thread
   with a time limit.
3. Confirmed: hold → the use's account (`use:<id>:settle`). Refused or no answer in time: the
   hold is reversed (`use:<id>:return`), which gives back the very lots it drew (same expiry).

The same key returns the recorded request (a repeated click or a parallel double submit pays
once); the same key with another amount, use or reference raises `IdempotencyConflict`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services as ledger
from .errors import IdempotencyConflict, LedgerError
from .external import ExternalPayments, call_with_timeout, get_external_payments
from .models import AccountKind, ExternalUse, TxKind, UseKind, UseOption
from .params import UseLimits, use_limits

log = logging.getLogger(__name__)


class UseBelowMinimum(LedgerError):
    code = "ledger.use_below_minimum"
    message = "최소 사용 마일리지보다 적습니다."


class UseNotInUnits(LedgerError):
    code = "ledger.use_not_in_units"
    message = "사용 단위에 맞지 않습니다."


class UseNotAvailable(LedgerError):
    code = "ledger.use_not_available"
    message = "지금은 이 사용처를 이용할 수 없습니다."
    status = 404


def check_amount(amount: int, limits: UseLimits) -> None:
    """WALK-6: the amount is at least the kind's minimum and a multiple of its unit."""
    if amount < limits.minimum:
        raise UseBelowMinimum(f"{limits.minimum:,} 마일리지 이상부터 사용할 수 있습니다.")
    if amount % limits.step:
        raise UseNotInUnits(f"{limits.step:,} 마일리지 단위로 입력해 주세요.")


def _sink(use: ExternalUse) -> Any:
    if use.use == UseKind.DONATION:
        return ledger.account(AccountKind.BENEFICIARY, name=use.reference)
    return ledger.account(AccountKind.EXTERNAL, name=UseKind(use.use).label)


def _tx_kind(kind: str) -> str:
    return TxKind.DONATION if kind == UseKind.DONATION else TxKind.EXTERNAL


def _same_request(done: ExternalUse, member: Any, kind: str, reference: str, amount: int) -> bool:
    return (done.user_id, done.use, done.reference, done.amount) == (
        member.pk,
        kind,
        reference,
        amount,
    )


def _repeat(key: str, member: Any, kind: str, reference: str, amount: int) -> ExternalUse | None:
    done = ExternalUse.objects.filter(key=key).first()
    if done is not None and not _same_request(done, member, kind, reference, amount):
        raise IdempotencyConflict("같은 신청 번호로 다른 내용의 신청이 이미 접수되어 있습니다.")
    return done


def request_use(
    member: Any,
    option: UseOption,
    amount: int,
    reference: str,
    *,
    key: str,
    payments: ExternalPayments | None = None,
    today: dt.date | None = None,
) -> ExternalUse:
    """Hold, ask the outside system, then settle or return (see the module docstring)."""
    if not option.active or option.kind == UseKind.COUPON:
        raise UseNotAvailable()
    kind = option.kind
    if kind == UseKind.DONATION:
        reference = option.fund
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise UseBelowMinimum()
    check_amount(amount, use_limits(kind, today or timezone.localdate()))
    done = _repeat(key, member, kind, reference, amount)
    if done is not None:
        return wait_for_answer(done)
    wallet = ledger.account(AccountKind.WALLET, user=member)
    hold = ledger.account(AccountKind.HOLD, user=member)
    try:
        with transaction.atomic():
            use = ExternalUse.objects.create(
                key=key, user=member, option=option, use=kind, reference=reference, amount=amount
            )
            use.hold = ledger.transfer(
                f"use:{use.pk}:hold",
                wallet,
                hold,
                amount,
                kind=_tx_kind(kind),
                memo=f"{option.name} 신청 (접수 {use.pk}번)",
            )
            use.save(update_fields=["hold"])
    except IntegrityError:  # a parallel request with the same key was first
        done = _repeat(key, member, kind, reference, amount)
        if done is None:
            raise
        return wait_for_answer(done)
    log.info("use held id=%s member=%s kind=%s amount=%s", use.pk, member.pk, kind, amount)
    return call_and_resolve(use, payments or get_external_payments(kind))


def wait_for_answer(use: ExternalUse) -> ExternalUse:
    """A repeated request finds the first one still held (its outside call under way): wait for
    the first one's answer, so both callers see the same confirmation or refusal (issue #13,
    finding 5). Gives up after the outside system's time limit twice over and answers the
    request as it stands (held: the receipt says 처리 중)."""
    timeout_s = float(getattr(settings, "MILEAGE_EXTERNAL_TIMEOUT_SECONDS", 10))
    deadline = time.monotonic() + 2 * timeout_s + 1
    while use.status == ExternalUse.Status.HELD and time.monotonic() < deadline:
        time.sleep(0.05)
        use = ExternalUse.objects.get(pk=use.pk)
    return use


def call_and_resolve(use: ExternalUse, payments: ExternalPayments) -> ExternalUse:
    """Step 2 and 3 for a held request."""
    timeout_s = float(getattr(settings, "MILEAGE_EXTERNAL_TIMEOUT_SECONDS", 10))
    outcome = call_with_timeout(payments.pay, use, timeout_s)
    if outcome.confirmation:
        return settle(use, outcome.confirmation)
    if outcome.timed_out:
        cancel = getattr(payments, "cancel", None)
        if cancel is not None:
            call_with_timeout(cancel, use, timeout_s)
        return give_back(use, "사용처가 제시간에 응답하지 않았습니다.")
    return give_back(use, "사용처에서 요청을 처리하지 못했습니다.")


def settle(use: ExternalUse, confirmation: str) -> ExternalUse:
    """Confirmed: the held mileage goes to the use's account (once)."""
    with transaction.atomic():
        use = ExternalUse.objects.select_for_update().get(pk=use.pk)
        if use.status != ExternalUse.Status.HELD:
            return use
        use.transaction = ledger.transfer(
            f"use:{use.pk}:settle",
            ledger.account(AccountKind.HOLD, user=use.user_id),
            _sink(use),
            use.amount,
            kind=_tx_kind(use.use),
            memo=f"{use.name} 확정 (접수 {use.pk}번, 승인번호 {confirmation})",
        )
        use.status = ExternalUse.Status.CONFIRMED
        use.confirmation = confirmation
        use.confirmed_at = use.resolved_at = timezone.now()
        use.save(
            update_fields=["transaction", "status", "confirmation", "confirmed_at", "resolved_at"]
        )
    log.info("use confirmed id=%s", use.pk)
    return use


def give_back(use: ExternalUse, reason: str) -> ExternalUse:
    """Refused or no answer: reverse the hold, so the wallet gets back the same lots (once)."""
    with transaction.atomic():
        use = ExternalUse.objects.select_for_update().get(pk=use.pk)
        if use.status != ExternalUse.Status.HELD:
            return use
        use.returned = ledger.reverse(
            f"use:{use.pk}:return",
            use.hold,
            memo=f"{use.name} 취소: 마일리지 반환 (접수 {use.pk}번)",
        )
        use.status = ExternalUse.Status.RETURNED
        use.failure = reason
        use.resolved_at = timezone.now()
        use.save(update_fields=["returned", "status", "failure", "resolved_at"])
    log.warning("use returned id=%s reason=%s", use.pk, reason)
    return use


def return_stale_holds(older_than: dt.timedelta | None = None) -> int:
    """Requests still held long after any answer could come (a crashed worker): give them back."""
    if older_than is None:
        timeout_s = float(getattr(settings, "MILEAGE_EXTERNAL_TIMEOUT_SECONDS", 10))
        older_than = dt.timedelta(seconds=10 * timeout_s)
    stale = ExternalUse.objects.filter(
        status=ExternalUse.Status.HELD, requested_at__lte=timezone.now() - older_than
    )
    count = 0
    for use in stale.iterator():
        if use.hold_id is None:
            continue
        give_back(use, "처리가 끝나지 않아 마일리지를 돌려드렸습니다.")
        count += 1
    return count


def balance_after(member: Any, amount: int) -> int:
    """What the wallet will hold after this use (shown on the confirmation step)."""
    return ledger.balance(ledger.account(AccountKind.WALLET, user=member)) - amount
