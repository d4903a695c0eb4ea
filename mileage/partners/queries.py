"""Reads on partners, filtered by the viewer's scope (the one place that decides)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mileage.accounts.scope import is_city, partner_of

from .models import ApiKey, Partner


def visible_to(user: Any) -> QuerySet[Partner]:
    """Partners a person may see: all for the city, their own for partner staff, none else."""
    if is_city(user):
        return Partner.objects.all()
    partner = partner_of(user)
    if partner is not None:
        return Partner.objects.filter(pk=partner.pk)
    return Partner.objects.none()


def keys_visible_to(user: Any) -> QuerySet[ApiKey]:
    """API keys a person may see or revoke: their partner's (the city: all)."""
    return ApiKey.objects.filter(partner__in=visible_to(user)).select_related("partner")
