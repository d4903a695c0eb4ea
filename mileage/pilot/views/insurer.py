"""The insurer's pages: its own enrolments and their status, never another insurer's; one
enrolment's page (also the member's, the district's and the city's), and its PILOT-10 void."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.core.errors import DomainError
from mileage.privacy import access
from mileage.privacy.models import AccessKind

from .. import explain, queries
from ..models import Status
from ..services.void import VOID_REASONS, void_by_official
from .access import insurer_only, may_void, signed_in, voiders


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
def enrolment(
    request: HttpRequest,
    enrolment_id: int,
    *,
    status: int = 200,
    void_error: str = "",
    void_form: dict[str, str] | None = None,
) -> HttpResponse:
    """One enrolment; through `visible_to`, so another insurer's id is a 404."""
    found = get_object_or_404(queries.visible_to(request.user), pk=enrolment_id)
    readings = found.readings.select_related("reading", "partner_reading", "vehicle")
    access.record(
        request, AccessKind.ENROLMENT, subject=found.member, record=f"시범사업 가입 #{found.slot}"
    )
    return render(
        request,
        "pilot/enrolment.html",
        {
            "e": found,
            "view": explain.view_of(found),
            "readings": readings,
            "can_void": may_void(request.user)
            and found.status in (Status.ACTIVE, Status.EVALUATED),
            "void_reasons": list(VOID_REASONS.items()),
            "void_error": void_error,
            "void_form": void_form or {},
        },
        status=status,
    )


@require_POST
@voiders
def void(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """PILOT-10: an official (district, insurer, city) voids the enrolment with a seed-002
    reason and a note; a refusal re-renders the page with the error and what was typed."""
    found = get_object_or_404(queries.visible_to(request.user), pk=enrolment_id)
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    partner = scope.partner_of(request.user) if scope.is_partner_user(request.user) else None
    try:
        void_by_official(found, request.user, reason=reason, note=note, partner=partner)
    except DomainError as error:
        return enrolment(
            request,
            enrolment_id,
            status=error.status,
            void_error=str(error.message),
            void_form={"reason": reason, "note": note[:600]},
        )
    messages.success(request, f"가입 #{found.slot}을 무효 처리했습니다. 회원에게 알림을 보냅니다.")
    return redirect("pilot:enrolment", enrolment_id=found.pk)
