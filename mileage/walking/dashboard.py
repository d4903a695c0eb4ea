"""Dashboard panels for walking mileage (see mileage.core.panels)."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.panels import Panel
from mileage.partners.models import PartnerKind

from . import queries


def dashboard_panels(user: Any) -> list[Panel]:
    if scope.is_citizen(user):
        overview = queries.member_overview(user)
        return [
            Panel(
                "걷기 마일리지",
                "walking/panels/citizen.html",
                {"overview": overview, "links": queries.active_links(user)},
                order=20,
            )
        ]
    if scope.is_city(user):
        return [Panel("보행 마일리지", "walking/panels/city.html", {}, order=20)]
    partner = scope.partner_of(user)
    if partner is not None and partner.kind in (
        PartnerKind.WALKING_APP,
        PartnerKind.MERCHANT,
        PartnerKind.SPONSOR,
    ):
        return [
            Panel("보행 마일리지", "walking/panels/partner.html", {"partner": partner}, order=20)
        ]
    return []
