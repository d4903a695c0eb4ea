"""Whose vehicles a person may see (one place): the owner, the district's officials, the city."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts import scope

from .models import Vehicle


def vehicles_visible_to(user: Any) -> QuerySet[Vehicle]:
    return scope.restrict(Vehicle.objects.all(), user, owner="owner", district="district")
