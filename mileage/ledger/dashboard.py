"""The citizen's wallet panel on the dashboard (see mileage.core.panels): balance, the next
LEDGER-2 expiry, and the links to 내 마일리지."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mileage.accounts import scope
from mileage.core.panels import Panel

from . import queries
from . import services as ledger
from .models import AccountKind


def dashboard_panels(user: Any) -> list[Panel]:
    if not scope.is_citizen(user):
        return []
    wallet = ledger.account(AccountKind.WALLET, user=user)
    schedule = queries.expiry_schedule(wallet, timezone.localdate())
    context = {"balance": ledger.balance(wallet), "next_expiry": schedule[0] if schedule else None}
    return [Panel("내 마일리지", "ledger/panels/wallet.html", context, order=10)]
