"""LEDGER-2 jobs: expire lots five years after their award, and remind members beforehand."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import notify
from .models import AccountKind, Lot, Transaction, TxKind
from .params import notice_days
from .services import _existing, _write, account


def expire_lots(today: dt.date | None = None) -> int:
    """Move what is left of every lot with `expires_on <= today` to the expiry account.

    One transaction per lot, keyed `expire:lot:<id>`: re-running the job expires nothing twice.
    Returns how many lots were expired now.
    """
    today = today or timezone.localdate()
    sink = account(AccountKind.EXPIRED, name="소멸 마일리지")
    done = 0
    due = Lot.objects.filter(expires_on__lte=today, remaining__gt=0).select_related("account")
    for lot in due.order_by("expires_on", "pk").iterator(chunk_size=500):
        key = f"expire:lot:{lot.pk}"
        legs = [(lot.account, -lot.remaining), (sink, lot.remaining)]
        if Transaction.objects.filter(key=key).exists():
            continue
        try:
            with transaction.atomic():
                locked = Lot.objects.select_for_update().get(pk=lot.pk)
                if locked.remaining == 0:
                    continue
                legs = [(lot.account, -locked.remaining), (sink, locked.remaining)]
                _write(
                    key,
                    legs,
                    kind=TxKind.EXPIRY,
                    memo=f"유효기간 만료 (적립일 {lot.awarded_on:%Y-%m-%d})",
                    on=today,
                    prefer_lot_ids=[lot.pk],
                    allow_expired=True,
                )
            done += 1
        except IntegrityError:
            _existing(key, legs)  # taken by a concurrent job run: fine if it is the same
    return done


def remind_expiring(today: dt.date | None = None) -> int:
    """LEDGER-2: tell members about lots expiring within the notice period (once per lot)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=notice_days(today))
    due = Lot.objects.filter(
        expires_on__gt=today, expires_on__lte=horizon, remaining__gt=0, expiry_notified=False
    ).select_related("account__user")
    sent = 0
    for lot in due.iterator(chunk_size=500):
        with transaction.atomic():
            notify.expiring_soon(
                lot.account.user, amount=lot.remaining, expires_on=lot.expires_on, lot_id=lot.pk
            )
            Lot.objects.filter(pk=lot.pk).update(expiry_notified=True)
        sent += 1
    return sent
