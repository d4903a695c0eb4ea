"""The insurer's pages: its own enrolments and their status, never another insurer's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from mileage.accounts import scope
from mileage.privacy import access
from mileage.privacy.models import AccessKind

from .. import explain, queries
from ..models import Status
from .access import insurer_only, signed_in


@insurer_only
def enrolments(request: HttpRequest) -> HttpResponse:
    rows = queries.visible_to(request.user)
    status = request.GET.get("status", "")
    shown = rows.filter(status=status) if status in Status.values else rows
    return render(
        request,
        "pilot/insurer.html",
        {
            "partner": scope.partner_of(request.user),
            "counts": queries.status_counts(rows),
            "statuses": Status.choices,
            "status": status,
            "rows": shown.select_related("outcome")[:500],
            "total": shown.count(),
        },
    )


@signed_in
def enrolment(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """One enrolment; through `visible_to`, so another insurer's id is a 404."""
    found = get_object_or_404(queries.visible_to(request.user), pk=enrolment_id)
    readings = found.readings.select_related("reading", "partner_reading", "vehicle")
    access.record(
        request, AccessKind.ENROLMENT, subject=found.member, record=f"시범사업 가입 #{found.slot}"
    )
    return render(
        request,
        "pilot/enrolment.html",
        {"e": found, "view": explain.view_of(found), "readings": readings},
    )
