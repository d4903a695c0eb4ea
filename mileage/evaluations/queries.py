"""Who sees which evaluation results: the city all, an official their district, a citizen their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts import scope

from .models import EvaluationRun, Result


def results_visible_to(user: Any) -> QuerySet[Result]:
    return scope.restrict(
        Result.objects.all(), user, owner="owner_id", district_code="district_code"
    )


def runs_visible_to(user: Any) -> QuerySet[EvaluationRun]:
    """Runs are city-wide: the city and every district's officials see them all."""
    return scope.restrict(EvaluationRun.objects.all(), user, district=scope.EVERY_DISTRICT)
