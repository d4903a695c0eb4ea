"""ApiKeyAuth: django-ninja auth for partner API keys (header `X-API-Key`).

    @router.post("/steps", auth=ApiKeyAuth("walking:steps"))
    def push_steps(request, ...):
        partner = request.auth          # the Partner
        key = request.api_key           # the ApiKey used

A missing, unknown, revoked or inactive-partner key is 401; a valid key without the
permission is 403 (`auth.permission_denied`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader

from mileage.core.errors import DomainError

from .models import ApiKey, Partner, hash_token
from .permissions import PERMISSIONS


class KeyLacksPermission(DomainError):
    code = "auth.permission_denied"
    message = "이 API 키에는 해당 권한이 없습니다."
    status = 403


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def __init__(self, permission: str | None = None) -> None:
        if permission is not None and permission not in PERMISSIONS:
            raise ValueError(
                f"unknown permission {permission!r}; add it to partners/permissions.py"
            )
        self.permission = permission
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None) -> Partner | None:
        if not key or len(key) > 200:
            return None
        api_key = (
            ApiKey.objects.select_related("partner")
            .filter(hashed=hash_token(key), revoked_at__isnull=True, partner__is_active=True)
            .first()
        )
        if api_key is None:
            return None
        if self.permission and not api_key.has_permission(self.permission):
            raise KeyLacksPermission()
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
        request.api_key = api_key  # type: ignore[attr-defined]
        return api_key.partner


def api_key_of(request: Any) -> ApiKey | None:
    """The ApiKey a request authenticated with, if any."""
    return getattr(request, "api_key", None)
