"""/api/v1/me: the signed-in person, or the partner behind an API key (with its permissions).

It answers for both kinds of caller, so it lives with the partners (which know people and keys);
its tag and operation id stay those of the accounts API.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from mileage.accounts.models import Role, User
from mileage.accounts.schemas import MeOut
from mileage.accounts.scope import partner_of
from mileage.core.guards import person_auth

from .auth import ApiKeyAuth, api_key_of
from .models import Partner

router = Router(tags=["accounts"])


def _partner_ref(partner: Partner | None) -> dict | None:
    if partner is None:
        return None
    return {"slug": partner.slug, "name": partner.name, "kind": partner.kind}


@router.get(
    "/me",
    response=MeOut,
    auth=[ApiKeyAuth(), person_auth],
    summary="Who am I",
    operation_id="mileage_accounts_api_me",
)
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
