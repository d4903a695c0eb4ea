"""Who may open which pilot page: one place, built on `mileage.accounts.scope`."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.guards import guard
from mileage.partners.models import PartnerKind


def is_insurer_staff(user: Any) -> bool:
    partner = scope.partner_of(user) if scope.is_partner_user(user) else None
    return partner is not None and partner.kind == PartnerKind.INSURER


signed_in = guard(lambda user: True)
citizen_only = guard(scope.is_citizen)
insurer_only = guard(is_insurer_staff)
city_only = guard(scope.is_city)
