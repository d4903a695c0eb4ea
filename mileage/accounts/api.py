"""/api/v1/districts (and a district's officials). `/api/v1/me`, which also answers for
partner API keys, is `mileage.partners.me_api` (accounts never imports partners)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from mileage.core.guards import PersonAuth
from mileage.core.input import Text

from .models import District, Role, User
from .schemas import DistrictOut, OfficialOut
from .scope import districts_managed_by, is_official_or_city, users_visible_to

router = Router(tags=["accounts"])


@router.get("/districts", response=list[DistrictOut], auth=None, summary="Seoul's 25 districts")
def districts(request: HttpRequest) -> list[District]:
    """자치구 list (public)."""
    return list(District.objects.all())


@router.get("/districts/{code}", response=DistrictOut, auth=None, summary="One district")
def district_detail(request: HttpRequest, code: Text(10)) -> District:
    return get_object_or_404(District, code=code)


@router.get(
    "/districts/{code}/officials",
    response=list[OfficialOut],
    auth=PersonAuth(is_official_or_city),
    summary="Officials of a district (its own officials and the city only)",
)
def district_officials(request: HttpRequest, code: Text(10)) -> list[User]:
    """Scoped: an official of another district gets 404, as if the district had no such page."""
    district = get_object_or_404(districts_managed_by(request.auth), code=code)
    return list(
        users_visible_to(request.auth)
        .filter(district=district, role=Role.OFFICIAL, is_active=True)
        .order_by("community_centre", "username")
    )
