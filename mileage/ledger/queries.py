"""Reads of a member's wallet shared by the wallet pages and the CSV download (LEDGER-1, LEDGER-2).

The ledger knows accounts, not programmes; what a wallet row was for is read from the other
legs of its transaction (the paying budget's `programme`) and from the transaction's kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from .models import Account, Lot, Posting, TxKind

# What the history filter offers: the programmes that pay into wallets (by the budget account's
# `programme`), then uses and expiry. Labels are what citizens read.
PROGRAMME_NAMES: dict[str, str] = {
    "eco-car": "에코마일리지 승용차",
    "eco-seasonal": "계절관리제 특별포인트",
    "pilot-2014": "승용차 마일리지 시범사업",
    "walk": "보행 마일리지",
}
USES = "use"
EXPIRY = "expiry"
USE_KINDS = (TxKind.SPEND, TxKind.DONATION, TxKind.EXTERNAL)
FILTERS: dict[str, str] = {**PROGRAMME_NAMES, USES: "사용·기부", EXPIRY: "소멸"}


@dataclass(frozen=True)
class ExpiringAmount:
    """LEDGER-2: how much of a wallet expires on one day."""

    expires_on: dt.date
    amount: int


def expiry_schedule(wallet: Account, today: dt.date) -> list[ExpiringAmount]:
    """LEDGER-2: the wallet's unexpired lots, summed per expiry day, soonest first."""
    rows = (
        Lot.objects.filter(account=wallet, remaining__gt=0, expires_on__gt=today)
        .values("expires_on")
        .annotate(total=Sum("remaining"))
        .order_by("expires_on")
    )
    return [ExpiringAmount(r["expires_on"], int(r["total"])) for r in rows]


def parse_month(raw: str) -> dt.date | None:
    """'2026-11' → 1 Nov 2026; anything else → None (the filter is then ignored)."""
    try:
        year, month = (int(part) for part in raw.split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None


def wallet_postings(
    wallet: Account, *, programme: str = "", month: dt.date | None = None
) -> QuerySet[Posting]:
    """The wallet's postings, newest first, filtered by programme (or uses / expiry) and month."""
    rows = Posting.objects.filter(account=wallet).select_related("transaction")
    if programme in PROGRAMME_NAMES:
        paid_by = Posting.objects.filter(
            transaction_id=OuterRef("transaction_id"), account__programme=programme
        )
        rows = rows.filter(Exists(paid_by))
    elif programme == USES:
        rows = rows.filter(
            Q(transaction__kind__in=USE_KINDS) | Q(transaction__reverses__kind__in=USE_KINDS)
        )
    elif programme == EXPIRY:
        rows = rows.filter(transaction__kind=TxKind.EXPIRY)
    if month is not None:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        rows = rows.filter(
            transaction__effective_on__gte=month, transaction__effective_on__lt=following
        )
    return rows.order_by("-transaction__effective_on", "-id")


def history_months(wallet: Account) -> list[dt.date]:
    """The months in which the wallet has postings, newest first (for the month filter)."""
    months = (
        Posting.objects.filter(account=wallet)
        .annotate(month=TruncMonth("transaction__effective_on"))
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")
    )
    return [m if isinstance(m, dt.date) else m.date() for m in months]
