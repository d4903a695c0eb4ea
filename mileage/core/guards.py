"""Role guards at the edge: who may open a page or call an API operation.

Pages: apps build their role decorators from `guard` (e.g. `citizen_only =
guard(scope.is_citizen)`), so every page answers the same way: a login redirect for anonymous
visitors and `Forbidden` (a Korean 403 page, rendered by `mileage.web`) for a role that may not
open it. API: `person_auth` is the session authentication for people (ninja `auth=`).

Services keep business checks (e.g. "this vehicle is yours", ECO-3), never role switches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from ninja.security import APIKeyCookie

from .errors import Forbidden


def guard(test: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A view decorator letting in signed-in users for whom `test(user)` is true."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise Forbidden()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


signed_in = guard(lambda user: True)


class PersonAuth(APIKeyCookie):
    """Session auth for people on the JSON API (with Django's CSRF check on unsafe methods).

    Like ninja's `django_auth`, but an anonymous request is 401 (not a CSRF 403) and an
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
