"""Audit trail: every decision kept with who, when, what and why (written by the service itself)."""

from __future__ import annotations

from typing import Any

from .models import AuditEntry


def record(
    actor: Any,
    action: str,
    vehicle: Any,
    *,
    reading: Any = None,
    cycle: Any = None,
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        vehicle=vehicle,
        reading=reading,
        cycle=cycle,
        reason=reason,
        note=note,
        data=data or {},
    )
