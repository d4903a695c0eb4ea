"""Korean display filters, built into every template (settings.TEMPLATES builtins):
`{{ day|kdate }}` → "2026. 11. 23.", `{{ moment|kdatetime }}`, `{{ memo|korean_dates }}`,
`{{ engine_message|korean_part }}` (the Korean sentence without its English aside), `{{ name|josa:"이/가" }}` (the name with the
particle its last sound takes)."""

from __future__ import annotations

from django import template

from mileage.core import text

register = template.Library()
register.filter("kdate", text.korean_date)
register.filter("kdatetime", text.korean_datetime)
register.filter("korean_dates", text.korean_dates)
register.filter("korean_part", text.korean_part)
register.filter("josa", text.with_particle)  # {{ name|josa:"이/가" }} → "재단이"


@register.filter("notice_kind")
def notice_kind(kind: str) -> str:
    """A notice's kind as the city's page names it (`{{ message.kind|notice_kind }}`)."""
    from mileage.core.notify import kind_label

    return kind_label(kind)


@register.filter("notice_channels")
def notice_channels(channel: str) -> str:
    """ "sms,email" → "문자 · 이메일" (the channels a notice went by)."""
    from mileage.core.channels import LABELS

    return " · ".join(LABELS.get(c, c) for c in (channel or "").split(",") if c)
