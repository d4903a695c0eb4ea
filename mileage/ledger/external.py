"""Adapter for uses of mileage outside the platform (local tax payment, transit card top-up).

Production would call the tax office's or the card company's service; the local adapter
(the default, used by the demo and tests) confirms every request and records it on the
`ExternalUse` row, so the request and its confirmation can be inspected.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import ExternalUse


class ExternalPayments(Protocol):
    def pay(self, use: ExternalUse) -> str:
        """Ask the outside system to take `use.amount`; return its confirmation number."""
        ...


class LocalExternalPayments:
    """Confirms at once with a reproducible confirmation number (no outside system)."""

    def pay(self, use: ExternalUse) -> str:
        digest = hashlib.sha256(f"{use.key}:{use.amount}".encode()).hexdigest()[:12]
        return f"LOCAL-{use.use}-{digest}".upper()


def get_external_payments() -> ExternalPayments:
    path = getattr(settings, "MILEAGE_EXTERNAL_PAYMENTS", "")
    return import_string(path)() if path else LocalExternalPayments()
