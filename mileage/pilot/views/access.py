"""Who may open which pilot page: one place, built on `mileage.accounts.scope`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from mileage.accounts import scope
from mileage.partners.models import PartnerKind
from mileage.web.errors import Forbidden, domain_errors


def is_insurer_staff(user: Any) -> bool:
    partner = scope.partner_of(user) if scope.is_partner_user(user) else None
    return partner is not None and partner.kind == PartnerKind.INSURER


def guard(test: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Any]:
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


signed_in = guard(lambda user: True)
citizen_only = guard(scope.is_citizen)
insurer_only = guard(is_insurer_staff)
city_only = guard(scope.is_city)
