"""LEDGER-2: lots of mileage — oldest first, expiring five years after the award.

Each credit to a wallet opens a lot; each debit draws from the wallet's unexpired lots in
order of expiry (then award date, then id). A reversal gives back exactly what the reversed
debit drew, or takes back the reversed credit's own lot first. Callers hold the wallet's row
lock (services._write), so two debits never draw the same lot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F, Sum

from .errors import InsufficientMileage
from .models import Lot, LotDraw, Posting, Transaction
from .params import expires_on


def apply(
    postings: Sequence[Posting],
    *,
    on: dt.date,
    kind: str,
    reverses: Transaction | None = None,
    prefer_lot_ids: Sequence[int] = (),
    allow_expired: bool = False,
) -> None:
    """Open or draw lots for the wallet postings of one transaction."""
    for posting in postings:
        if posting.amount > 0:
            if reverses is None or not _give_back(posting, reverses):
                Lot.objects.create(
                    account_id=posting.account_id,
                    posting=posting,
                    amount=posting.amount,
                    remaining=posting.amount,
                    awarded_on=on,
                    expires_on=expires_on(on),
                )
        else:
            prefer = list(prefer_lot_ids)
            if reverses is not None:
                prefer += list(
                    Lot.objects.filter(
                        posting__transaction=reverses, account_id=posting.account_id
                    ).values_list("pk", flat=True)
                )
            _draw(posting, -posting.amount, on=on, prefer=prefer, allow_expired=allow_expired)


def unexpired_total(account: object, on: dt.date) -> int:
    total = Lot.objects.filter(account=account, remaining__gt=0, expires_on__gt=on).aggregate(
        s=Sum("remaining")
    )["s"]
    return int(total or 0)


def _give_back(posting: Posting, reverses: Transaction) -> bool:
    """Restore the lots a reversed debit drew from (same lots, same expiry)."""
    draws = list(
        LotDraw.objects.filter(
            posting__transaction=reverses, posting__account_id=posting.account_id
        ).values("lot_id", "amount")
    )
    if not draws:
        return False
    for draw in draws:
        Lot.objects.filter(pk=draw["lot_id"]).update(remaining=F("remaining") + draw["amount"])
        LotDraw.objects.create(lot_id=draw["lot_id"], posting=posting, amount=-draw["amount"])
    return True


def _draw(
    posting: Posting, amount: int, *, on: dt.date, prefer: list[int], allow_expired: bool
) -> None:
    candidates = Lot.objects.filter(account_id=posting.account_id, remaining__gt=0)
    preferred = list(candidates.filter(pk__in=prefer)) if prefer else []
    others = candidates.exclude(pk__in=prefer)
    if not allow_expired:
        others = others.filter(expires_on__gt=on)
    queue = preferred + list(others.order_by("expires_on", "awarded_on", "pk"))
    left = amount
    for lot in queue:
        if left == 0:
            break
        take = min(lot.remaining, left)
        Lot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - take)
        LotDraw.objects.create(lot=lot, posting=posting, amount=take)
        left -= take
    if left:
        # Only unexpired mileage may be spent; the caller's atomic block rolls everything back.
        raise InsufficientMileage()
