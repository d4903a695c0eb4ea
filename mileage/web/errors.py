"""Domain errors on pages: `mileage.core.errors.DomainError` rendered as `web/error.html`.

Apps raise `DomainError`s (see `mileage.core.errors`); `DomainErrorPagesMiddleware`
(`mileage.web.middleware`) turns one raised by a page view into this page with its status.
The API renders the same errors as JSON (`mileage.site.api`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mileage.core.errors import DomainError


def render_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "web/error.html", {"error": error}, status=error.status)
