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
from ninja import security as ninja_security
from ninja.security import APIKeyCookie

from .errors import Forbidden


def guard(
    test: Callable[[Any], bool], message: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A page view decorator letting in signed-in users for whom `test(user)` is true.

    Anonymous visitors are sent to the login page; anyone else gets `Forbidden(message)`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise Forbidden(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


signed_in = guard(lambda user: True)


class PersonAuth(APIKeyCookie):
    """Session auth for people on the JSON API (with Django's CSRF check on unsafe methods).

    Like ninja's `django_auth`, but an anonymous request is 401 (not a CSRF 403) and an
    inactive user never authenticates. `request.auth` is the User. `PersonAuth(test, message)`
    is the role guard of an operation: a signed-in person for whom `test(user)` is false gets
    `Forbidden(message)` (403) before the operation runs."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self, test: Callable[[Any], bool] | None = None, message: str | None = None):
        super().__init__()
        self.test, self.message = test, message

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if key and user.is_authenticated and user.is_active:
            return _passes(user, self.test, self.message)
        return None


class SessionAuth(ninja_security.SessionAuth):
    """ninja's `django_auth` (same OpenAPI scheme) with the same optional role guard."""

    def __init__(self, test: Callable[[Any], bool] | None = None, message: str | None = None):
        super().__init__()
        self.test, self.message = test, message

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return None if user is None else _passes(user, self.test, self.message)


def _passes(user: Any, test: Callable[[Any], bool] | None, message: str | None) -> Any:
    if test is not None and not test(user):
        raise Forbidden(message)
    return user


person_auth = PersonAuth()
