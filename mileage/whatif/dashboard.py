"""Dashboard panel: the budget what-if (정책 시뮬레이션), next to the parameters, for the city."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.panels import Panel

from .models import Simulation


def dashboard_panels(user: Any) -> list[Panel]:
    if not scope.is_city(user):
        return []
    latest = Simulation.objects.order_by("-id").first()
    return [Panel("정책 시뮬레이션", "whatif/panels/whatif.html", {"latest": latest}, 46)]
