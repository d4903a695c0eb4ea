"""Korean display text shared by every app: dates as citizens read them ("2026. 11. 23.")."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def korean_date(value: dt.date | dt.datetime | None) -> str:
    """`2026-11-23` → "2026. 11. 23." (a datetime in local time); "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}. {value.month}. {value.day}."


def korean_datetime(value: dt.datetime | None) -> str:
    """A moment in local time: "2026. 11. 23. 14:05"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year}. {local.month}. {local.day}. {local.hour:02d}:{local.minute:02d}"


def korean_dates(text: object) -> str:
    """Every ISO date inside a stored text (a memo, a notice, an explanation line) as a Korean
    date; the stored text itself is kept as written (books and sent notices never change)."""
    return ISO_DATE.sub(lambda m: f"{int(m[1])}. {int(m[2])}. {int(m[3])}.", str(text))


# A parenthesis with no Hangul and an English word (three letters or more) or a clause code: the
# rules engine's aside after its Korean sentence ("... 줄었습니다 (went backwards from 89400 km,
# E-1)"); "(8.06 km)" stays.
_ENGINE_ASIDE = re.compile(r"\s*\((?=[^()]*(?:[A-Za-z]{3,}|\b[A-Z]+-\d+))[^()가-힣]*\)")


def korean_part(text: object) -> str:
    """The Korean sentence of an engine message, without its English and clause-code aside:
    what a citizen is shown (officials see the whole message)."""
    return _ENGINE_ASIDE.sub("", str(text)).strip()
