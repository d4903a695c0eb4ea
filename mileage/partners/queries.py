"""Reads on partners, filtered by the viewer's scope (the one place that decides)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts.scope import restrict

from .models import ApiKey, Partner


def visible_to(user: Any) -> QuerySet[Partner]:
    """Partners a person may see: all for the city, their own for partner staff, none else."""
    return restrict(Partner.objects.all(), user, partner="pk")


def keys_visible_to(user: Any) -> QuerySet[ApiKey]:
    """API keys a person may see or revoke: their partner's (the city: all)."""
    return restrict(ApiKey.objects.select_related("partner"), user, partner="partner")
