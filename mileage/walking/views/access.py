"""Who may open which walking page: one place, built on `mileage.accounts.scope`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from mileage.accounts import scope
from mileage.core.guards import guard
from mileage.partners.models import Partner

citizen_only = guard(scope.is_citizen)
city_only = guard(scope.is_city)


def partner_of_kind(user: Any, kind: str) -> Partner | None:
    partner = scope.partner_of(user)
    return partner if partner is not None and partner.kind == kind else None


def partner_only(kind: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    return guard(lambda user: partner_of_kind(user, kind) is not None)
