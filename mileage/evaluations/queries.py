"""Who sees which evaluation results: the city all, an official their district, a citizen their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts import scope

from .models import EvaluationRun, Result, RunStatus

# A run's results reach citizens only once the city has signed it off (issue #14): a preview,
# a run being evaluated or a cancelled run is staff-only.
PUBLISHED = (RunStatus.SIGNED_OFF, RunStatus.PAID)


def results_visible_to(user: Any) -> QuerySet[Result]:
    results = Result.objects.all()
    if scope.is_citizen(user):
        results = results.filter(run__status__in=PUBLISHED)
    return scope.restrict(results, user, owner="owner_id", district_code="district_code")


def runs_visible_to(user: Any) -> QuerySet[EvaluationRun]:
    """Runs are city-wide: the city and every district's officials see them all."""
    return scope.restrict(EvaluationRun.objects.all(), user, district=scope.EVERY_DISTRICT)
