"""Session auth for people on the JSON API (with Django's CSRF check on unsafe methods)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie


class PersonAuth(APIKeyCookie):
    """Like ninja's `django_auth`, but an anonymous request is 401 (not a CSRF 403) and an
    inactive user never authenticates. `request.auth` is the User."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if key and user.is_authenticated and user.is_active:
            return user
        return None


person_auth = PersonAuth()
