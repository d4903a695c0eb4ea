"""Template filters for citizens' ledger pages: Korean dates inside stored memos."""

from __future__ import annotations

import re

from django import template

register = template.Library()

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@register.filter
def korean_dates(text: str) -> str:
    """Memos are kept as written (books never change); '2026-11-23' reads '2026. 11. 23.'."""
    return ISO_DATE.sub(lambda m: f"{int(m[1])}. {int(m[2])}. {int(m[3])}.", str(text))
