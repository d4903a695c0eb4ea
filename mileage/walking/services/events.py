"""WALK-5: walking events (걸어서 출근한데이, 고궁 걷기 …): registration, check-in, counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..errors import EventFull, NotRegistered, WalkingError
from ..models import Event, EventRegistration


def register(member: Any, event_id: int, *, today: dt.date | None = None) -> EventRegistration:
    """Register once; the event row is locked so the capacity holds under concurrent sign-ups."""
    today = today or timezone.localdate()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if event.on < today:
            raise WalkingError("이미 끝난 행사입니다.", code="walking.event_over", status=409)
        existing = EventRegistration.objects.filter(event=event, member=member).first()
        if existing is not None:
            return existing
        if event.capacity is not None and event.registrations.count() >= event.capacity:
            raise EventFull()
        return EventRegistration.objects.create(event=event, member=member)


def check_in(member: Any, event_id: int, *, today: dt.date | None = None) -> EventRegistration:
    """[interp] WALK-5: a registered member checks in on the event day itself (once)."""
    today = today or timezone.localdate()
    reg = (
        EventRegistration.objects.select_related("event")
        .filter(event_id=event_id, member=member)
        .first()
    )
    if reg is None:
        raise NotRegistered()
    if reg.event.on != today:
        raise WalkingError(
            "출석 확인은 행사 당일에만 할 수 있습니다.", code="walking.not_event_day", status=409
        )
    if reg.checked_in_at is None:
        reg.checked_in_at = timezone.now()
        reg.save(update_fields=["checked_in_at"])
    return reg
