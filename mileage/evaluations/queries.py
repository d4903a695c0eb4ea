"""Who sees which evaluation results: the city all, an official their district, a citizen their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts import scope

from .models import EvaluationRun, Result


def results_visible_to(user: Any) -> QuerySet[Result]:
    if scope.is_city(user):
        return Result.objects.all()
    if scope.is_official(user):
        return Result.objects.filter(district_code=scope.official_district(user).code)
    if scope.is_citizen(user):
        return Result.objects.filter(owner_id=user.pk)
    return Result.objects.none()


def runs_visible_to(user: Any) -> QuerySet[EvaluationRun]:
    if scope.is_city(user) or scope.is_official(user):
        return EvaluationRun.objects.all()
    return EvaluationRun.objects.none()
