"""Page guards: who may open a page, decided by a test on the signed-in user.

Apps build their role decorators from `guard` (e.g. `citizen_only = guard(scope.is_citizen)`),
so every page answers the same way: a login redirect for anonymous visitors, a Korean 403 page
(`Forbidden`) for a role that may not open it, and domain errors rendered by `domain_errors`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from mileage.web.errors import Forbidden, domain_errors


def guard(test: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A view decorator letting in signed-in users for whom `test(user)` is true."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        @domain_errors
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise Forbidden()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
