"""Member notices from the ledger (LEDGER-2): award paid, mileage about to expire.

Written to the platform's outbox (`mileage.core.notify`) in the caller's database transaction,
idempotent by key, so a repeated run or job never sends twice and a crash never loses one:
`award_paid` for one award, `awards_paid` for a batch's awards in one INSERT … SELECT.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Expression, F, QuerySet, Value
from django.db.models.functions import Concat

from mileage.core.notify import KoreanDate, Thousands, get_notifier, send_set
from mileage.core.text import korean_date

PAID_KIND = "mileage-awarded"
PAID_KEY = "ledger:paid:"


def _send(user: Any, *, kind: str, subject: str, body: str, key: str) -> None:
    get_notifier().send(user, kind=kind, subject=subject, body=body, key=key)


def award_paid(user: Any, *, amount: int, memo: str, key: str, paid_on: dt.date) -> None:
    _send(
        user,
        kind=PAID_KIND,
        subject=f"마일리지 {amount:,}점이 지급되었습니다",
        body=f"{memo} {amount:,} 마일리지가 {korean_date(paid_on)}에 지갑에 적립되었습니다.",
        key=f"{PAID_KEY}{key}",
    )


def awards_paid(
    awards: QuerySet,
    *,
    key: str,
    user: str,
    amount: str,
    paid_on: str,
    memo: Expression | str,
) -> int:
    """`award_paid` for every row of `awards` in one statement; returns how many were new.

    `awards` is a queryset (e.g. a run chunk's results) and the keyword arguments name its
    fields (the award's ledger key, the member's user id, the amount, the payment date) and give
    the memo as an expression. Call it in the transaction that posts the awards: the notices
    then exist exactly when the postings do, once per award key (the same text and key as
    `award_paid` writes, so either path skips what the other wrote)."""
    words = Thousands(F(amount))
    memo_expr = Value(memo) if isinstance(memo, str) else memo
    return send_set(
        awards.annotate(
            _notice_kind=Value(PAID_KIND),
            _notice_subject=Concat(Value("마일리지 "), words, Value("점이 지급되었습니다")),
            _notice_body=Concat(
                memo_expr,
                Value(" "),
                words,
                Value(" 마일리지가 "),
                KoreanDate(F(paid_on)),
                Value("에 지갑에 적립되었습니다."),
            ),
            _notice_key=Concat(Value(PAID_KEY), F(key)),
        ).values_list(user, "_notice_kind", "_notice_subject", "_notice_body", "_notice_key")
    )


def expiring_soon(user: Any, *, amount: int, expires_on: dt.date, lot_id: int) -> None:
    """LEDGER-2: remind the member before mileage expires."""
    _send(
        user,
        kind="mileage-expiring",
        subject=f"마일리지 {amount:,}점이 곧 소멸됩니다",
        body=(
            f"{korean_date(expires_on)}에 마일리지 {amount:,}점의 유효기간이 끝납니다. "
            "기간 안에 사용하거나 기부해 주세요."
        ),
        key=f"ledger:expiring:lot:{lot_id}",
    )
