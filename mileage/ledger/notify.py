"""Member notices from the ledger (LEDGER-2): award paid, mileage about to expire.

Sent through the platform's notifier adapter (`mileage.core.notify.get_notifier()`),
idempotent by key, so a repeated run or job never sends twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mileage.core.notify import get_notifier


def _send(user: Any, *, kind: str, subject: str, body: str, key: str) -> None:
    get_notifier().send(user, kind=kind, subject=subject, body=body, key=key)


def award_paid(user: Any, *, amount: int, memo: str, key: str, paid_on: dt.date) -> None:
    _send(
        user,
        kind="mileage-awarded",
        subject=f"마일리지 {amount:,}점이 지급되었습니다",
        body=f"{memo} {amount:,} 마일리지가 {paid_on:%Y-%m-%d}에 지갑에 적립되었습니다.",
        key=f"ledger:paid:{key}",
    )


def expiring_soon(user: Any, *, amount: int, expires_on: dt.date, lot_id: int) -> None:
    """LEDGER-2: remind the member before mileage expires."""
    _send(
        user,
        kind="mileage-expiring",
        subject=f"마일리지 {amount:,}점이 곧 소멸됩니다",
        body=(
            f"{expires_on:%Y-%m-%d}에 마일리지 {amount:,}점의 유효기간이 끝납니다. "
            "기간 안에 사용하거나 기부해 주세요."
        ),
        key=f"ledger:expiring:lot:{lot_id}",
    )
