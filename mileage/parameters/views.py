"""Pages of the city's parameters (issue #14): every parameter with its value in force, one
parameter's history with the propose form, and the pending proposals with approve / reject.

Officials and the city read; only the city proposes and decides (guards at the edge); four eyes
and the checks of the entry are the services'."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.core.errors import DomainError
from mileage.core.guards import guard

from . import queries, services
from .validation import parse_value

staff_only = guard(scope.is_official_or_city)
city_only = guard(scope.is_city, "서울시 담당자만 파라미터를 변경할 수 있습니다.")


@staff_only
def parameter_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parameters/list.html",
        {"rows": queries.overview(), "pending": queries.pending_changes().count()},
    )


def _detail(request: HttpRequest, name: str, form: dict[str, str], error: str = "") -> HttpResponse:
    parameter, entries = queries.entries(name)
    context: dict[str, Any] = {
        "parameter": parameter,
        "entries": entries,
        "changes": queries.changes_of(name),
        "form": form,
        "error": error,
        "is_city": scope.is_city(request.user),
    }
    return render(request, "parameters/detail.html", context, status=400 if error else 200)


@staff_only
def parameter_detail(request: HttpRequest, name: str) -> HttpResponse:
    return _detail(request, name, {})


@city_only
@require_POST
def propose(request: HttpRequest, name: str) -> HttpResponse:
    form = {k: request.POST.get(k, "") for k in ("key", "value", "source", "reason")}
    try:
        services.propose(
            request.user,
            name,
            form["key"],
            parse_value(form["value"]),
            form["source"],
            form["reason"],
        )
    except DomainError as exc:  # the form comes back as typed, with the reason (nothing lost)
        return _detail(request, name, form, str(exc.message))
    return redirect("parameters:pending")


@city_only
def pending(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parameters/pending.html",
        {"changes": queries.pending_changes()},
    )


def _decide(request: HttpRequest, change_id: int, action: str) -> HttpResponse:
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            services.approve(request.user, change_id, note)
        elif action == "reject":
            services.reject(request.user, change_id, note)
        else:
            services.withdraw(request.user, change_id)
    except DomainError as exc:
        context = {"changes": queries.pending_changes(), "error": str(exc.message)}
        return render(request, "parameters/pending.html", context, status=exc.status)
    return redirect("parameters:pending")


@city_only
@require_POST
def approve(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "approve")


@city_only
@require_POST
def reject(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "reject")


@city_only
@require_POST
def withdraw(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "withdraw")
