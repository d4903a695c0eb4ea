"""Audit trail: every decision kept with who, when, what and why (written by the service itself)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from .models import AuditEntry


def record(
    actor: Any,
    action: str,
    subject: Model | None = None,
    *,
    partner: Any = None,
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    **refs: Model | None,
) -> AuditEntry:
    """Write one entry: `record(official, "reading.approve", vehicle, reading=reading)`.

    `refs` name the other objects involved (stored as ids; None is left out).
    """
    return AuditEntry.objects.create(
        actor=actor,
        partner=partner,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        refs={name: obj.pk for name, obj in refs.items() if obj is not None},
        reason=reason,
        note=note,
        data=data or {},
    )


def about(subjects: QuerySet[Any]) -> QuerySet[AuditEntry]:
    """Entries whose subject is one of `subjects` (a queryset of one model; one SQL subquery)."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subjects.model),
        subject_id__in=subjects.values("pk"),
    )
