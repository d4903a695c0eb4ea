"""Celery tasks of the readings app: a citizen's photos checked after the upload
(`READING_PHOTO_CHECKS=worker`, `services.checks`). Safe to run twice (a checked reading is
skipped); acknowledged late, so a killed worker's check is delivered again."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import errors
from .services.checks import check_pending_photos


@shared_task(name="readings.check_photos", bind=True, acks_late=True)
def check_photos(self: Any, reading_id: int) -> str:
    """Check one reading's uploaded photos; storage refusing the write: again in 30 s."""
    try:
        return check_pending_photos(reading_id)
    except (errors.PhotoNotStored, OSError) as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=30, max_retries=20) from exc
