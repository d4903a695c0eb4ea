"""LEDGER-2 daily job (Celery; eager in the embedded default): remind, then expire."""

from __future__ import annotations

from celery import shared_task

from . import expiry


@shared_task
def daily_expiry() -> dict[str, int]:
    return {"reminded": expiry.remind_expiring(), "expired": expiry.expire_lots()}
