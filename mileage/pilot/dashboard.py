"""Dashboard panels of the 2014 pilot (see mileage.core.panels)."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.panels import Panel

from . import explain, queries
from .models import Status
from .views.access import is_insurer_staff


def dashboard_panels(user: Any) -> list[Panel]:
    if scope.is_citizen(user):
        rows = list(queries.visible_to(user))
        if not rows:
            return []
        cards = [(e, explain.view_of(e)) for e in rows]
        return [
            Panel("승용차 마일리지 시범사업", "pilot/panels/citizen.html", {"cards": cards}, 30)
        ]
    if is_insurer_staff(user):
        counts = queries.status_counts(queries.visible_to(user))
        context = {"counts": counts, "statuses": Status.choices}
        return [Panel("승용차 마일리지 시범사업", "pilot/panels/insurer.html", context, 10)]
    if scope.is_city(user):
        totals = queries.totals_per_insurer()
        return [Panel("승용차 마일리지 시범사업", "pilot/panels/city.html", {"totals": totals}, 30)]
    return []
