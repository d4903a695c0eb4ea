"""Photo checks after the response (issue #12, deadline day): with `READING_PHOTO_CHECKS=worker`
a citizen's upload is stored as sent (size limit only), its reading shown as "사진 확인 중"
(CHECKING), and the Celery task `readings.check_photos` runs the same checks as the request
would (C-1 photo intake, ECO-4 capture dates), stores the GPS-free copies, sets the flags and
hands the reading to the district review (SUBMITTED); a failed check marks it FAILED ("사진
확인 실패") with the Korean reason for the citizen, who may upload again. Without a broker (the
embedded default) the task runs eagerly right after the upload commits, so `make run` behaves as
before; with a broker that cannot be reached the upload is checked in the request instead."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from mileage.core import audit
from mileage.core.errors import DomainError

from .. import errors
from ..flags import compute_flags
from ..models import Reading, ReadingStatus
from ..photos import check_photo, discard, open_incoming
from .submit import _check_dates, _store_photo

log = logging.getLogger(__name__)


def photo_checks_deferred() -> bool:
    """True when citizens' uploads are checked on a worker (READING_PHOTO_CHECKS=worker)."""
    return getattr(settings, "READING_PHOTO_CHECKS", "request") == "worker"


def queue_photo_check(reading_id: int) -> None:
    """After the upload's commit: the task on the broker; without a broker (eager, the embedded
    default) or with one that cannot be reached, the checks run here and now, so no reading
    waits for a worker that never hears of it. Never raises (the upload is committed)."""
    from mileage.readings.tasks import check_photos

    try:
        if not check_photos.app.conf.task_always_eager:
            check_photos.delay(reading_id)
            return
    except Exception as exc:  # kombu OperationalError and the like: no broker now
        log.warning("broker unreachable (%r): photo checks of reading %s in the request", exc,
                    reading_id)  # fmt: skip
    try:
        check_pending_photos(reading_id)
    except Exception:
        log.exception("photo checks of reading %s failed; it stays 사진 확인 중", reading_id)


def check_pending_photos(reading_id: int) -> str:
    """Check a CHECKING reading's photos once: "submitted", "failed", or "skipped" when it was
    checked already (a task delivered twice). A storage that refuses the write raises
    `PhotoNotStored` and leaves the reading CHECKING for the task's retry."""
    written: list[str] = []
    try:
        with transaction.atomic():
            reading = (
                Reading.objects.select_for_update()
                .filter(pk=reading_id, status=ReadingStatus.CHECKING)
                .select_related("vehicle")
                .first()
            )
            if reading is None:
                return "skipped"
            incoming = list(reading.incoming or [])
            try:
                with transaction.atomic():
                    photos = [check_photo(open_incoming(name)) for name in incoming]
                    if len(photos) != 2:
                        raise errors.PhotoMissing()
                    taken_on = _check_dates(reading.vehicle, photos, reading.uploaded_on)
                    plate, dashboard = (_store_photo(p, written) for p in photos)
                    reading.plate_photo, reading.dashboard_photo = plate, dashboard
                    reading.taken_on, reading.status = taken_on, ReadingStatus.SUBMITTED
                    reading.incoming = None
                    reading.save(
                        update_fields=[
                            "plate_photo", "dashboard_photo", "taken_on", "status", "incoming",
                        ]
                    )  # fmt: skip
                    compute_flags(reading)
                outcome = "submitted"
            except errors.PhotoNotStored:
                raise
            except DomainError as exc:
                discard(written)
                written = []
                reading.status, reading.review_note = ReadingStatus.FAILED, exc.message
                reading.incoming = None
                reading.save(update_fields=["status", "review_note", "incoming"])
                audit.record(
                    None,
                    "reading.photo_check_failed",
                    reading.vehicle,
                    reading=reading,
                    note=exc.message,
                )
                outcome = "failed"
            transaction.on_commit(lambda: discard(incoming))
        return outcome
    except BaseException:
        discard(written)
        raise
