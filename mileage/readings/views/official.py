"""District pages: review queue, one reading with the photo viewer, decisions, voids, walk-in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mileage.accounts import scope
from mileage.core.errors import DomainError
from mileage.core.guards import guard
from mileage.privacy import access
from mileage.privacy.models import AccessKind
from mileage.readings import queries, services
from mileage.readings.models import ReadingFlag, ReadingStatus, RejectReason, VoidReason
from mileage.vehicles.api import walk_in_citizen
from mileage.vehicles.services import register_vehicle

from .common import done, parse_int, refused

staff_only = guard(
    scope.is_official_or_city, "구청·주민센터 담당자와 서울시 담당자만 볼 수 있습니다."
)


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    """ECO-3: the district's readings, oldest first, filtered by status and flag."""
    status = request.GET.get("status", ReadingStatus.SUBMITTED)
    flag = request.GET.get("flag", "")
    rows = queries.review_queue(
        request.user, status=status if status in ReadingStatus.values else "", flag=flag
    )
    return render(
        request,
        "eco/queue.html",
        {
            "rows": rows[:200],
            "status": status,
            "flag": flag,
            "statuses": ReadingStatus.choices,
            "flags": ReadingFlag.Code.choices,
        },
    )


@require_GET
@staff_only
def review(request: HttpRequest, reading_id: int) -> HttpResponse:
    """One reading: photo viewer (zoom), flags, the vehicle's reading history, decisions."""
    reading = get_object_or_404(
        queries.visible_to(request.user).select_related(
            "vehicle", "vehicle__district", "vehicle__owner"
        ),
        pk=reading_id,
    )
    vehicle = reading.vehicle
    access.record(
        request, AccessKind.READING, subject=vehicle.owner, record=f"주행거리 기록 #{reading.pk}"
    )
    history = queries.visible_to(request.user).filter(vehicle=vehicle).order_by("-id")
    return render(
        request,
        "eco/review.html",
        {
            "r": reading,
            "v": vehicle,
            "history": history,
            "cycles": vehicle.root.cycles.all(),
            "reject_reasons": RejectReason.choices,
            "void_reasons": VoidReason.choices,
            "can_decide": scope.is_official(request.user)
            and request.user.district_id == vehicle.district_id,
        },
    )


@require_POST
@login_required
def approve(request: HttpRequest, reading_id: int) -> HttpResponse:
    reading = get_object_or_404(
        queries.visible_to(request.user).select_related("vehicle"), pk=reading_id
    )
    try:
        services.approve_reading(
            request.user,
            reading,
            version=parse_int(request.POST.get("version"), 0),
            corrected_km=request.POST.get("corrected_km") or None,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:review", reading.pk)
    return done(request, f"{reading.vehicle.plate} 주행거리를 승인했습니다.", "eco:queue")


@require_POST
@login_required
def reject(request: HttpRequest, reading_id: int) -> HttpResponse:
    reading = get_object_or_404(
        queries.visible_to(request.user).select_related("vehicle"), pk=reading_id
    )
    try:
        services.reject_reading(
            request.user,
            reading,
            version=parse_int(request.POST.get("version"), 0),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:review", reading.pk)
    return done(request, f"{reading.vehicle.plate} 주행거리를 반려했습니다.", "eco:queue")


@require_POST
@login_required
def void(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """ECO-14: void a cycle with a reason."""
    cycle = get_object_or_404(
        queries.cycles_visible_to(request.user).select_related("vehicle"), pk=cycle_id
    )
    back = request.POST.get("back_reading")
    try:
        services.void_cycle(
            request.user,
            cycle,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:queue")
    if back and back.isdigit():
        return done(
            request, f"{cycle.number}차 평가 주기를 무효 처리했습니다.", "eco:review", int(back)
        )
    return done(request, f"{cycle.number}차 평가 주기를 무효 처리했습니다.", "eco:queue")


@require_http_methods(["GET", "POST"])
@guard(scope.is_official, "방문 신청은 구청·주민센터 담당자만 받을 수 있습니다.")
def walk_in(request: HttpRequest) -> HttpResponse:
    """ECO-2 방문 신청: the official enrols a vehicle for a citizen and enters the initial reading."""
    error = None
    if request.method == "POST":
        try:
            citizen = walk_in_citizen(request.user, request.POST.get("citizen_username", ""))
            from django.db import transaction

            with transaction.atomic():
                vehicle = register_vehicle(
                    citizen, request.POST.get("plate", ""), actor=request.user
                )
                services.submit_reading(
                    request.user,
                    vehicle,
                    event="initial",
                    km=request.POST.get("km"),
                    plate_photo=request.FILES.get("plate_photo"),
                    dashboard_photo=request.FILES.get("dashboard_photo"),
                )
        except DomainError as exc:
            error = exc
        else:
            return done(
                request,
                f"{vehicle.plate} 차량을 방문 신청으로 등록했습니다.",
                "eco:vehicle",
                vehicle.pk,
            )
    return render(
        request,
        "eco/walk_in.html",
        {"error": error, "post": request.POST},
        status=400 if error else 200,
    )
