"""Ledger jobs (Celery; eager in the embedded default): LEDGER-2 reminders and expiry, and
returning uses whose outside call never finished (a crashed worker)."""

from __future__ import annotations

from celery import shared_task

from . import expiry, uses


@shared_task
def daily_expiry() -> dict[str, int]:
    return {"reminded": expiry.remind_expiring(), "expired": expiry.expire_lots()}


@shared_task
def return_stale_holds() -> int:
    """Run every few minutes: a request held ten time-outs long gets its mileage back."""
    return uses.return_stale_holds()
