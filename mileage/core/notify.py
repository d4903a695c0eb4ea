"""Notifier adapter: tell people of decisions, payments and their windows.

Production would send e-mail and SMS; the local notifier writes `OutboxMessage` rows that the
demo shows at /eco/outbox/. `settings.MILEAGE_NOTIFIER` names the class to use.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .models import OutboxMessage


class Notifier(Protocol):
    def send(self, user: Any, *, kind: str, subject: str, body: str, key: str) -> bool: ...


class OutboxNotifier:
    """Writes one outbox row per message and channel; a repeated key is sent once."""

    def send(self, user: Any, *, kind: str, subject: str, body: str, key: str) -> bool:
        channel = "sms" if getattr(user, "phone", "") else "email"
        try:
            with transaction.atomic():
                OutboxMessage.objects.create(
                    user=user, channel=channel, kind=kind, subject=subject, body=body, key=key
                )
        except IntegrityError:
            return False
        return True


def get_notifier() -> Notifier:
    dotted = getattr(settings, "MILEAGE_NOTIFIER", "mileage.core.notify.OutboxNotifier")
    return import_string(dotted)()
