"""Every write on partners: issuing and revoking API keys."""

from __future__ import annotations

import logging

from django.db import transaction

from mileage.core.errors import DomainError

from .models import ApiKey, Partner, hash_token
from .permissions import DEFAULT_PERMISSIONS, check_known

log = logging.getLogger(__name__)


class UnknownPermission(DomainError):
    code = "partner.unknown_permission"
    message = "알 수 없는 권한입니다."
    status = 400


class PermissionNotForKind(DomainError):
    code = "partner.permission_not_allowed"
    message = "이 기관 유형에는 부여할 수 없는 권한입니다."
    status = 400


def issue_key(
    partner: Partner, name: str, permissions: list[str] | None = None
) -> tuple[ApiKey, str]:
    """Issue a random key; return it and the plain token, which is shown once and never stored.

    `permissions` defaults to the kind's defaults and may not exceed them.
    """
    allowed = DEFAULT_PERMISSIONS.get(partner.kind, [])
    try:
        perms = check_known(list(allowed if permissions is None else permissions))
    except ValueError as exc:
        raise UnknownPermission(str(exc)) from exc
    if not set(perms) <= set(allowed):
        raise PermissionNotForKind()
    prefix, token = ApiKey.new_token()
    with transaction.atomic():
        key = ApiKey.objects.create(
            partner=partner,
            name=name.strip()[:50] or "API key",
            prefix=prefix,
            hashed=hash_token(token),
            permissions=perms,
        )
    log.info("api key issued partner=%s prefix=%s", partner.slug, prefix)
    return key, token


def revoke_key(key: ApiKey) -> ApiKey:
    """Revoke a key (idempotent); a revoked key never authenticates again."""
    key.revoke()
    log.info("api key revoked partner=%s prefix=%s", key.partner.slug, key.prefix)
    return key
