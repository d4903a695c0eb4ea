"""Retention after 탈퇴: erase the photos of closed accounts when their time has come."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mileage.readings.models import Photo, Reading

from ..models import Closure


def purge_closed_accounts(today: dt.date | None = None) -> int:
    """Erase the reading photos of accounts closed long enough ago (docs/privacy.md). A photo
    that another member's reading also uses is kept. Returns how many photos were erased."""
    today = today or timezone.localdate()
    erased = 0
    due = Closure.objects.filter(photos_erase_on__lte=today, photos_erased_at__isnull=True)
    for closure in due.order_by("pk"):
        with transaction.atomic():
            mine = Reading.objects.filter(vehicle__owner_id=closure.user_id)
            ids = set(mine.values_list("plate_photo_id", flat=True)) | set(
                mine.values_list("dashboard_photo_id", flat=True)
            )
            ids.discard(None)
            shared: set[int] = set()
            others = Reading.objects.exclude(vehicle__owner_id=closure.user_id).filter(
                Q(plate_photo_id__in=ids) | Q(dashboard_photo_id__in=ids)
            )
            for plate_id, dash_id in others.values_list("plate_photo_id", "dashboard_photo_id"):
                shared.update({plate_id, dash_id})
            for photo in Photo.objects.filter(pk__in=ids - shared).exclude(file=""):
                if default_storage.exists(photo.file):
                    default_storage.delete(photo.file)
                Photo.objects.filter(pk=photo.pk).update(file="")
                erased += 1
            Closure.objects.filter(pk=closure.pk).update(photos_erased_at=timezone.now())
    return erased
