"""Korean display filters: `{{ day|kdate }}` → "2026. 11. 23.", `{{ moment|kdatetime }}`."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def kdate(value: dt.date | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}. {value.month}. {value.day}."


@register.filter
def kdatetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year}. {local.month}. {local.day}. {local.hour:02d}:{local.minute:02d}"
