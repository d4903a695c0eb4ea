"""`{% idempotency_key %}`: the hidden field that makes a money-moving page form run once.

Each form on a rendered page gets a fresh random key; the view passes it to
`mileage.ledger.idempotency.once`, so a double click, a reload that re-posts or two tabs
sending the same form charge once (issue #13, finding 7)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def idempotency_key() -> SafeString:
    return format_html('<input type="hidden" name="key" value="{}">', uuid.uuid4().hex)
