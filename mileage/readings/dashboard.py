"""The eco-mileage panel on /dashboard/: what each role has to do next."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone

from mileage.accounts import scope
from mileage.core.panels import Panel

from .models import Cycle, ReadingStatus
from .queries import appeals_visible_to, review_queue, visible_to


def dashboard_panels(user: Any) -> list[Panel]:
    if scope.is_citizen(user):
        vehicles = list(user.vehicles.select_related("district").order_by("id"))
        open_cycles = {
            c.vehicle_id: c
            for c in Cycle.objects.filter(vehicle__in=vehicles, end_reading__isnull=True)
        }
        submitted = list(
            visible_to(user)
            .filter(status=ReadingStatus.SUBMITTED)
            .values_list("vehicle_id", flat=True)
        )
        pending, waiting = len(submitted), set(submitted)
        today = timezone.localdate()
        rows = [(v, open_cycles.get(v.root.pk)) for v in vehicles]
        # ECO-5: a window open today is the citizen's next step, shown as the panel's action.
        due = [
            (v, c)
            for v, c in rows
            if c is not None
            and c.window_opens_on <= today <= c.window_closes_on
            and v.pk not in waiting
        ]
        return [
            Panel(
                "에코마일리지 승용차",
                "eco/panels/citizen.html",
                {"rows": rows, "pending": pending, "due": due},
                order=20,
            )
        ]
    if scope.is_official(user) or scope.is_city(user):
        counts = dict(
            visible_to(user)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        waiting = review_queue(user).count()
        appeals = appeals_visible_to(user).filter(status="open").count()
        return [
            Panel(
                "에코마일리지 승용차 심사",
                "eco/panels/review.html",
                {"waiting": waiting, "counts": counts, "appeals": appeals},
                order=20,
            )
        ]
    return []
