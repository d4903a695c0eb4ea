"""Ledger JSON API (/api/v1/ledger/): a member's wallet and uses of mileage (session auth).

Errors are `{"code", "message"}` JSON with Korean messages (e.g. 잔액 부족 → 409)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from mileage.accounts import scope
from mileage.core.errors import Forbidden

from . import services as ledger
from . import spending
from .models import Account, AccountKind

router = Router(tags=["ledger"], auth=django_auth)


class DonationIn(Schema):
    beneficiary: int
    amount: int
    key: str


class ExternalUseIn(Schema):
    use: str
    reference: str
    amount: int
    key: str


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


@router.post("/donations", summary="마일리지 기부")
def donate(request: HttpRequest, body: DonationIn) -> dict[str, Any]:
    member = _member(request)
    target = get_object_or_404(Account, pk=body.beneficiary, kind=AccountKind.BENEFICIARY)
    tx = spending.donate(member, target, body.amount, key=f"donation:{member.pk}:{body.key}")
    return {"transaction": tx.key, "on": tx.effective_on.isoformat()}


@router.post("/external-uses", summary="지방세 납부·교통카드 충전")
def use_externally(request: HttpRequest, body: ExternalUseIn) -> dict[str, Any]:
    member = _member(request)
    use = spending.use_externally(
        member, body.use, body.reference, body.amount, key=f"external:{member.pk}:{body.key}"
    )
    confirmed: dt.datetime | None = use.confirmed_at
    return {
        "confirmation": use.confirmation,
        "confirmed_at": confirmed.isoformat() if confirmed else None,
    }
