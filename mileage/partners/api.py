"""/api/v1/partners/: partner info for keys; key management for partner staff (session)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from mileage.accounts.scope import is_city, partner_of
from mileage.core.errors import Forbidden
from mileage.core.guards import PersonAuth, person_auth
from mileage.core.input import PathId

from . import services
from .auth import ApiKeyAuth
from .models import ApiKey, Partner
from .queries import keys_visible_to, visible_to
from .schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut, PartnerOut

router = Router(tags=["partners"])


def city_or_partner_staff(user: Any) -> bool:
    return is_city(user) or partner_of(user) is not None


@router.get(
    "",
    response=list[PartnerOut],
    auth=PersonAuth(city_or_partner_staff),
    summary="Partners I may see",
)
def partner_list(request: HttpRequest) -> list[Partner]:
    return list(visible_to(request.auth))


@router.get("/self", response=PartnerOut, auth=ApiKeyAuth("partner:read"), summary="My partner")
def partner_self(request: HttpRequest) -> Partner:
    """The partner the API key belongs to (needs `partner:read`)."""
    return request.auth


@router.get(
    "/keys",
    response=list[ApiKeyOut],
    auth=PersonAuth(city_or_partner_staff),
    summary="API keys I may see",
)
def key_list(request: HttpRequest) -> list[ApiKey]:
    return list(keys_visible_to(request.auth))


@router.post("/keys", response={201: ApiKeyCreated}, auth=person_auth, summary="Issue a key")
def key_create(request: HttpRequest, payload: ApiKeyIn) -> Status[ApiKey]:
    """Partner staff issue a key for their own partner; the token is in this response only."""
    partner = partner_of(request.auth)
    if partner is None:
        raise Forbidden()
    key, token = services.issue_key(partner, payload.name, payload.permissions)
    key.token = token  # type: ignore[attr-defined]
    return Status(201, key)


@router.post("/keys/{key_id}/revoke", response=ApiKeyOut, auth=person_auth, summary="Revoke a key")
def key_revoke(request: HttpRequest, key_id: PathId) -> ApiKey:
    """Another partner's key is 404, as if it did not exist."""
    key = get_object_or_404(keys_visible_to(request.auth), pk=key_id)
    return services.revoke_key(key)
