"""Ledger JSON API (/api/v1/ledger/): a member's wallet and uses of mileage (session auth).

Errors are `{"code", "message"}` JSON with Korean messages (e.g. 잔액 부족 → 409)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.security import django_auth

from mileage.accounts import scope
from mileage.core.errors import Forbidden
from mileage.core.input import Amount, Id, IdempotencyKey, Text

from . import idempotency, spending
from . import services as ledger
from .models import Account, AccountKind

router = Router(tags=["ledger"], auth=django_auth)


KEY_HELP = (
    "멱등성 키(idempotency key): 요청마다 새로 만든 값(예: UUID). `Idempotency-Key` 헤더로 "
    "보내도 됩니다. 같은 키로 다시 보내면 처음 응답을 돌려주고 다시 차감하지 않습니다."
)


class DonationIn(Schema):
    beneficiary: Id
    amount: Amount
    key: IdempotencyKey | None = Field(None, description=KEY_HELP)


class ExternalUseIn(Schema):
    use: Text(30, min_length=1)
    reference: Text(100, min_length=1)
    amount: Amount
    key: IdempotencyKey | None = Field(None, description=KEY_HELP)


def _member(request: HttpRequest) -> Any:
    if not scope.is_citizen(request.user):
        raise Forbidden("회원 본인만 마일리지 지갑을 사용할 수 있습니다.")
    return request.user


@router.get("/wallet", summary="내 마일리지 지갑 (LEDGER-1, LEDGER-2)")
def wallet(request: HttpRequest) -> dict[str, Any]:
    member = _member(request)
    acct = ledger.account(AccountKind.WALLET, user=member)
    return {
        "balance": ledger.balance(acct),
        "spendable": ledger.spendable(acct),
        "history": [
            {
                "on": p.transaction.effective_on.isoformat(),
                "kind": p.transaction.kind,
                "memo": p.transaction.memo,
                "amount": p.amount,
            }
            for p in ledger.history(acct)
        ],
    }


@router.get("/beneficiaries", summary="기부처 목록")
def beneficiaries(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Account.objects.filter(kind=AccountKind.BENEFICIARY).order_by("name")
    return [{"id": a.pk, "name": a.name} for a in rows]


@router.post("/donations", summary="마일리지 기부 (Idempotency-Key 필수)")
def donate(request: HttpRequest, body: DonationIn) -> dict[str, Any]:
    member = _member(request)
    key = idempotency.key_of(request, body.key)
    target = get_object_or_404(Account, pk=body.beneficiary, kind=AccountKind.BENEFICIARY)

    def run() -> tuple[int, dict[str, Any]]:
        tx = spending.donate(member, target, body.amount, key=f"donation:{member.pk}:{key}")
        return 200, {"transaction": tx.key, "on": tx.effective_on.isoformat()}

    fields = {"beneficiary": target.pk, "amount": body.amount}
    return idempotency.once(idempotency.caller_of(member), key, "ledger.donation", fields, run)[1]


@router.post("/external-uses", summary="지방세 납부·교통카드 충전 (Idempotency-Key 필수)")
def use_externally(request: HttpRequest, body: ExternalUseIn) -> dict[str, Any]:
    member = _member(request)
    key = idempotency.key_of(request, body.key)
    # The request row (ExternalUse, unique key) is this operation's idempotency record: a
    # repeated or parallel request waits for the first one's answer (mileage.ledger.uses).
    use = spending.use_externally(
        member, body.use, body.reference, body.amount, key=f"external:{member.pk}:{key}"
    )
    confirmed: dt.datetime | None = use.confirmed_at
    return {
        "confirmation": use.confirmation,
        "confirmed_at": confirmed.isoformat() if confirmed else None,
    }
