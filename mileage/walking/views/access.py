"""Who may open which walking page: one place, built on `mileage.accounts.scope`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from mileage.accounts import scope
from mileage.partners.models import Partner
from mileage.web.errors import Forbidden, domain_errors


def _guard(test: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Any]:
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


citizen_only = _guard(scope.is_citizen)
city_only = _guard(scope.is_city)


def partner_of_kind(user: Any, kind: str) -> Partner | None:
    partner = scope.partner_of(user)
    return partner if partner is not None and partner.kind == kind else None


def partner_only(kind: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    return _guard(lambda user: partner_of_kind(user, kind) is not None)
