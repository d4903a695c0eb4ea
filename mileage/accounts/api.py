"""/api/v1/me and /api/v1/districts."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from mileage.core.errors import Forbidden
from mileage.core.guards import person_auth
from mileage.partners.auth import ApiKeyAuth, api_key_of
from mileage.partners.models import Partner

from .models import District, Role, User
from .schemas import DistrictOut, MeOut, OfficialOut
from .scope import districts_managed_by, is_city, is_official, partner_of, users_visible_to

router = Router(tags=["accounts"])


def _partner_ref(partner: Partner | None) -> dict | None:
    if partner is None:
        return None
    return {"slug": partner.slug, "name": partner.name, "kind": partner.kind}


@router.get("/me", response=MeOut, auth=[ApiKeyAuth(), person_auth], summary="Who am I")
def me(request: HttpRequest) -> dict:
    """The signed-in person (role, district) or, with an API key, the partner and its permissions."""
    if isinstance(request.auth, Partner):
        key = api_key_of(request)
        return {
            "kind": "partner_key",
            "partner": _partner_ref(request.auth),
            "permissions": key.permissions if key else [],
        }
    user: User = request.auth
    return {
        "kind": "person",
        "username": user.username,
        "display_name": user.display_name or user.username,
        "role": user.role,
        "role_label": str(Role(user.role).label),
        "district": user.district,
        "community_centre": user.community_centre,
        "partner": _partner_ref(partner_of(user)),
        "permissions": [],
    }


@router.get("/districts", response=list[DistrictOut], auth=None, summary="Seoul's 25 districts")
def districts(request: HttpRequest) -> list[District]:
    """자치구 list (public)."""
    return list(District.objects.all())


@router.get("/districts/{code}", response=DistrictOut, auth=None, summary="One district")
def district_detail(request: HttpRequest, code: str) -> District:
    return get_object_or_404(District, code=code)


@router.get(
    "/districts/{code}/officials",
    response=list[OfficialOut],
    auth=person_auth,
    summary="Officials of a district (its own officials and the city only)",
)
def district_officials(request: HttpRequest, code: str) -> list[User]:
    """Scoped: an official of another district gets 404, as if the district had no such page."""
    if not (is_city(request.auth) or is_official(request.auth)):
        raise Forbidden()
    district = get_object_or_404(districts_managed_by(request.auth), code=code)
    return list(
        users_visible_to(request.auth)
        .filter(district=district, role=Role.OFFICIAL, is_active=True)
        .order_by("community_centre", "username")
    )
