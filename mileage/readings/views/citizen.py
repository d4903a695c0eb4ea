"""Citizen pages: my vehicles (dashboard), enrol a vehicle, a vehicle's page (readings, window,
km, CO₂, calculator, upload), early end, vehicle change, appeals, photos."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mileage.accounts import scope
from mileage.core.errors import DomainError
from mileage.core.guards import guard
from mileage.privacy import access
from mileage.privacy.models import AccessKind
from mileage.readings import errors, queries, services
from mileage.readings.models import (
    AppealMessage,
    Event,
    Photo,
    ReadingStatus,
    RejectReason,
    VoidReason,
)
from mileage.readings.services.checks import photo_checks_deferred
from mileage.readings.summary import vehicle_summary, what_would_i_get
from mileage.vehicles import services as vehicle_services
from mileage.vehicles.models import EndReason, Status
from mileage.vehicles.queries import vehicles_visible_to

from .common import done, parse_date, parse_int, refused


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """에코마일리지 승용차: the citizen's vehicles; officials and the city get their links."""
    today = timezone.localdate()
    vehicles = vehicles_visible_to(request.user).select_related("district")
    rows = []
    if scope.is_citizen(request.user):
        rows = [(v, vehicle_summary(v, today)) for v in vehicles.order_by("-status", "id")]
    outbox = []
    if scope.is_citizen(request.user):
        from mileage.core.models import OutboxMessage

        outbox = OutboxMessage.objects.filter(user=request.user)[:5]
    return render(request, "eco/home.html", {"rows": rows, "today": today, "outbox": outbox})


@require_http_methods(["GET", "POST"])
@guard(scope.is_citizen, "시민 회원만 차량을 등록할 수 있습니다. 담당자는 방문 신청 화면을 쓰세요.")
def vehicle_new(request: HttpRequest) -> HttpResponse:
    """ECO-1: enrol a vehicle by its plate; the registry decides eligibility."""
    error = None
    if request.method == "POST":
        try:
            vehicle = vehicle_services.register_vehicle(request.user, request.POST.get("plate", ""))
        except DomainError as exc:
            error = exc
        else:
            return done(
                request,
                f"{vehicle.plate} 차량이 등록되었습니다. 14일 이내에 최초 주행거리를 등록해 주세요.",
                "eco:vehicle",
                vehicle.pk,
            )
    return render(
        request,
        "eco/vehicle_new.html",
        {"error": error, "plate": request.POST.get("plate", "")},
        status=400 if error else 200,
    )


def _events(found: Any, summary: Any) -> list[Event]:
    """The uploads this vehicle may take now: the initial reading first, then the others."""
    if found.status != Status.ACTIVE:
        return []
    if summary.cycle is None:
        return [] if found.previous_id else [Event.INITIAL]
    return [Event.ANNUAL, Event.SEASON_START, Event.SEASON_END]


@require_GET
@login_required
def vehicle(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    today = timezone.localdate()
    found = get_object_or_404(
        vehicles_visible_to(request.user).select_related("district", "owner"), pk=vehicle_id
    )
    readings = found.readings.select_related("plate_photo", "dashboard_photo").prefetch_related(
        "flags", "appeal"
    )
    summary = vehicle_summary(found, today)
    estimate = None
    km = parse_int(request.GET.get("km"))
    if km is not None:
        estimate = what_would_i_get(found, km, today)
    cycles = list(found.root.cycles.select_related("appeal") if hasattr(found, "root") else [])
    return render(
        request,
        "eco/vehicle.html",
        {
            "v": found,
            "readings": readings.order_by("-id"),
            "summary": summary,
            "cycles": cycles,
            "estimate": estimate,
            "km": km,
            "events": _events(found, summary),
            "end_reasons": EndReason.choices,
            "is_owner": request.user.pk == found.owner_id,
            "can_walk_in": scope.is_official(request.user)
            and request.user.district_id == found.district_id,
            "today": today,
        },
    )


@require_POST
@login_required
def upload(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    """C-1: plate and dashboard photos (from a phone's camera) plus the odometer value."""
    found = get_object_or_404(vehicles_visible_to(request.user), pk=vehicle_id)
    try:
        reading = services.submit_reading(
            request.user,
            found,
            event=request.POST.get("event", ""),
            km=request.POST.get("km"),
            plate_photo=request.FILES.get("plate_photo"),
            dashboard_photo=request.FILES.get("dashboard_photo"),
            defer_checks=photo_checks_deferred(),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:vehicle", found.pk)
    note = " ".join(reading.warnings)
    reading.refresh_from_db(fields=["status"])  # checked already without a broker
    then = (
        "사진을 확인한 뒤 구청 담당자가 심사합니다."
        if reading.status == ReadingStatus.CHECKING
        else "구청 담당자가 심사합니다."
    )
    return done(
        request,
        f"주행거리가 접수되었습니다. {then} {note}".strip(),
        "eco:vehicle",
        found.pk,
    )


@require_POST
@login_required
def end(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    """ECO-11: 명의이전 / 말소 with its date and the odometer at the end."""
    found = get_object_or_404(vehicles_visible_to(request.user), pk=vehicle_id)
    try:
        services.end_participation(
            request.user,
            found,
            reason=request.POST.get("reason", ""),
            ended_on=parse_date(request.POST.get("ended_on")),
            km=request.POST.get("km"),
            plate_photo=request.FILES.get("plate_photo"),
            dashboard_photo=request.FILES.get("dashboard_photo"),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:vehicle", found.pk)
    return done(request, "참여 종료가 접수되었습니다.", "eco:vehicle", found.pk)


@require_POST
@login_required
def change(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    """ECO-13: the old vehicle's final reading and the new vehicle's first reading."""
    found = get_object_or_404(vehicles_visible_to(request.user), pk=vehicle_id)
    files = request.FILES
    try:
        new = services.change_vehicle(
            request.user,
            found,
            new_plate=request.POST.get("new_plate", ""),
            out_km=request.POST.get("out_km"),
            in_km=request.POST.get("in_km"),
            out_photos=(files.get("out_plate_photo"), files.get("out_dashboard_photo")),
            in_photos=(files.get("in_plate_photo"), files.get("in_dashboard_photo")),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return refused(request, exc, "eco:vehicle", found.pk)
    return done(request, f"{new.plate} 차량으로 변경이 접수되었습니다.", "eco:vehicle", new.pk)


@require_GET
@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A stored photo (GPS already stripped), only for people who may see a reading or appeal
    that uses it."""
    found = get_object_or_404(Photo, pk=photo_id)
    readings = queries.visible_to(request.user).filter(
        Q(plate_photo=found) | Q(dashboard_photo=found)
    )
    in_appeal = AppealMessage.objects.filter(
        appeal__in=queries.appeals_visible_to(request.user), photos=found
    )
    if not readings.exists() and not in_appeal.exists():
        return render(
            request,
            "web/error.html",
            {"error": errors.NotYourDistrict("찾을 수 없습니다.")},
            status=404,
        )
    from django.core.files.storage import default_storage

    reading = readings.select_related("vehicle__owner").first()
    if reading is not None:
        owner = reading.vehicle.owner
    else:
        owner = in_appeal.select_related("appeal__vehicle__owner").first().appeal.vehicle.owner
    access.record(request, AccessKind.PHOTO, subject=owner, record=f"사진 #{found.pk}")
    response = FileResponse(default_storage.open(found.file, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


REASONS = {"reject": RejectReason.choices, "void": VoidReason.choices}
