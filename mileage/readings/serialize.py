"""Model → API dict conversions shared by the API and pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mileage.core.models import AuditEntry

from .models import Appeal, Cycle, Reading


def photo_url(photo_id: int | None) -> str | None:
    """None for a connected-car reading, which has no photos (ECO-18)."""
    return None if photo_id is None else reverse("eco:photo", args=[photo_id])


def reading_dict(reading: Reading) -> dict[str, Any]:
    return {
        "id": reading.pk,
        "vehicle_id": reading.vehicle_id,
        "plate": reading.vehicle.plate,
        "district_code": reading.vehicle.district.code,
        "event": reading.event,
        "km": reading.km,
        "km_submitted": reading.km_submitted,
        "taken_on": reading.taken_on,
        "uploaded_on": reading.uploaded_on,
        "effective_on": reading.effective_on,
        "cycle_no": reading.cycle_no,
        "status": reading.status,
        "status_label": reading.get_status_display(),
        "version": reading.version,
        "channel": reading.channel,
        "warnings": reading.warnings,
        "flags": [
            {
                "code": f.code,
                "label": f.get_code_display(),
                "detail": f.detail,
                "related_reading_id": f.related_reading_id,
            }
            for f in reading.flags.all()
        ],
        "reject_reason": reading.reject_reason,
        "review_note": reading.review_note,
        "reviewed_at": reading.reviewed_at,
        "plate_photo_url": photo_url(reading.plate_photo_id),
        "dashboard_photo_url": photo_url(reading.dashboard_photo_id),
    }


def cycle_dict(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "number": cycle.number,
        "vehicle_id": cycle.vehicle_id,
        "window_opens_on": cycle.window_opens_on,
        "window_closes_on": cycle.window_closes_on,
        "start_reading_id": cycle.start_reading_id,
        "end_reading_id": cycle.end_reading_id,
        "voided": cycle.voided_at is not None,
        "void_reason": cycle.void_reason,
    }


def appeal_dict(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "vehicle_id": appeal.vehicle_id,
        "reading_id": appeal.reading_id,
        "cycle_id": appeal.cycle_id,
        "status": appeal.status,
        "created_at": appeal.created_at,
        "messages": [
            {
                "id": m.pk,
                "author": str(m.author),
                "author_role": m.author.role,
                "body": m.body,
                "created_at": m.created_at,
                "photo_urls": [photo_url(p.pk) for p in m.photos.all()],
            }
            for m in appeal.messages.select_related("author").prefetch_related("photos")
        ],
    }


def audit_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "actor": str(entry.actor),
        "action": entry.action,
        "vehicle_id": entry.subject_id,
        "plate": entry.subject.plate,
        "reading_id": entry.refs.get("reading"),
        "cycle_id": entry.refs.get("cycle"),
        "reason": entry.reason,
        "note": entry.note,
    }
