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


def may_void(user: Any) -> bool:
    """PILOT-10 void: the city, district officials and insurer staff (each within what
    `queries.visible_to` shows them); never the member."""
    return scope.is_official_or_city(user) or is_insurer_staff(user)


voiders = guard(may_void, "무효 처리는 서울시, 구청 담당자와 보험사 담당자만 할 수 있습니다.")
