"""Appeal pages (이의신청): open one, read and write in the thread, answer it; audit; outbox."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mileage.accounts import scope
from mileage.core import audit as core_audit
from mileage.core.errors import DomainError
from mileage.core.guards import guard
from mileage.core.models import OutboxMessage
from mileage.core.text import korean_datetime
from mileage.privacy import access
from mileage.privacy.models import AccessKind
from mileage.readings import queries, services
from mileage.readings.models import RejectReason, VoidReason
from mileage.vehicles.models import EndReason

from .common import done, refused


def _open(request: HttpRequest, reading: Any, cycle: Any, vehicle_id: int) -> HttpResponse:
    try:
        appeal = services.open_appeal(
            request.user,
            reading=reading,
            cycle=cycle,
            body=request.POST.get("body", ""),
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:vehicle", vehicle_id)
    return done(request, "이의신청이 접수되었습니다.", "eco:appeal", appeal.pk)


@require_POST
@login_required
def appeal_reading(request: HttpRequest, reading_id: int) -> HttpResponse:
    """이의신청 against a rejected reading."""
    reading = get_object_or_404(queries.visible_to(request.user), pk=reading_id)
    return _open(request, reading, None, reading.vehicle_id)


@require_POST
@login_required
def appeal_cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """이의신청 against a voided cycle."""
    cycle = get_object_or_404(queries.cycles_visible_to(request.user), pk=cycle_id)
    return _open(request, None, cycle, cycle.vehicle_id)


@require_http_methods(["GET", "POST"])
@login_required
def appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The thread; POST adds a message (citizen or the district's official)."""
    found = get_object_or_404(
        queries.appeals_visible_to(request.user).select_related("vehicle"), pk=appeal_id
    )
    if request.method == "POST":
        try:
            services.add_message(
                request.user,
                found,
                body=request.POST.get("body", ""),
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            return refused(request, exc, "eco:appeal", found.pk)
        return done(request, "글을 남겼습니다.", "eco:appeal", found.pk)
    access.record(
        request, AccessKind.APPEAL, subject=found.vehicle.owner, record=f"이의신청 #{found.pk}"
    )
    return render(
        request,
        "eco/appeal.html",
        {
            "a": found,
            "thread": found.messages.select_related("author").prefetch_related("photos"),
            "can_decide": scope.is_official(request.user)
            and request.user.district_id == found.vehicle.district_id,
            "can_write": found.status == "open"
            and (
                request.user.pk == found.citizen_id
                or (
                    scope.is_official(request.user)
                    and request.user.district_id == found.vehicle.district_id
                )
            ),
        },
    )


@require_POST
@login_required
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    found = get_object_or_404(
        queries.appeals_visible_to(request.user).select_related("vehicle"), pk=appeal_id
    )
    try:
        services.decide_appeal(
            request.user,
            found,
            accept=request.POST.get("accept") == "1",
            body=request.POST.get("body", ""),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:appeal", found.pk)
    return done(request, "이의신청에 답변했습니다.", "eco:appeal", found.pk)


@require_GET
@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    rows = (
        queries.appeals_visible_to(request.user)
        .select_related("vehicle", "citizen")
        .order_by("-created_at")
    )
    return render(request, "eco/appeals.html", {"rows": rows[:200]})


# Reasons are stored as codes; the audit page shows their Korean labels.
_REASONS = {**dict(EndReason.choices), **dict(VoidReason.choices), **dict(RejectReason.choices)}


@require_GET
@guard(scope.is_official_or_city, "감사 기록은 담당자와 서울시만 볼 수 있습니다.")
def audit(request: HttpRequest) -> HttpResponse:
    """Every decision with who, when, why, in Korean and with what it changed: the city sees all,
    an official their district; filtered by action; `?format=csv` downloads the filtered rows."""
    rows = (
        queries.audit_visible_to(request.user)
        .select_related("actor")
        .prefetch_related("subject", "subject__district")
    )
    action = request.GET.get("action", "")
    if action in core_audit.ACTION_LABELS:
        rows = rows.filter(action=action)
    entries = [
        {
            "e": e,
            "action": core_audit.action_label(e.action),
            "reason": _REASONS.get(e.reason, e.reason),
            "change": core_audit.change_of(e),
        }
        for e in rows[:300]
    ]
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    actions = sorted(core_audit.ACTION_LABELS.items(), key=lambda item: item[1])
    return render(
        request, "eco/audit.html", {"rows": entries, "actions": actions, "action": action}
    )


def _audit_csv(entries: list[dict[str, Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Korean with the byte-order mark
    writer = csv.writer(response)
    writer.writerow(["일시", "처리자", "처리", "차량", "자치구", "사유", "변경", "메모"])
    for row in entries:
        e = row["e"]
        subject = e.subject
        writer.writerow(
            [
                korean_datetime(e.at),
                str(e.actor or ""),
                row["action"],
                getattr(subject, "plate", ""),
                getattr(getattr(subject, "district", None), "name_ko", ""),
                row["reason"],
                row["change"],
                e.note,
            ]
        )
    return response


@require_GET
@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """The local notifier's outbox: a citizen sees their own messages, the city all of them."""
    messages = OutboxMessage.objects.select_related("user")
    if not scope.is_city(request.user):
        messages = messages.filter(user=request.user)
    return render(request, "eco/outbox.html", {"rows": messages[:300]})
