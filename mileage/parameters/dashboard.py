"""Dashboard panel: the city's parameters and the proposals waiting for a second manager."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.panels import Panel

from . import queries


def dashboard_panels(user: Any) -> list[Panel]:
    if not scope.is_official_or_city(user):
        return []
    context = {"is_city": scope.is_city(user), "pending": queries.pending_changes().count()}
    return [Panel("파라미터 (기준값)", "parameters/panels/parameters.html", context, 45)]
