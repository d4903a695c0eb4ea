"""/api/v1/readings/: readings with multipart photos, the review queue and decisions, cycle
voids (ECO-14), appeals and the audit trail. People only (session + CSRF); scoped by
`queries.visible_to`, so another district's reading is 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status, UploadedFile

from mileage.accounts import scope
from mileage.core.guards import PersonAuth, person_auth
from mileage.core.input import PathId, Text
from mileage.privacy import access
from mileage.privacy.models import AccessKind

from . import queries, services
from .schemas import (
    AppealOut,
    ApproveIn,
    AuditOut,
    CycleOut,
    DecisionIn,
    MessageIn,
    MessageText,
    ReadingOut,
    RejectIn,
    VoidIn,
)
from .serialize import appeal_dict, audit_dict, cycle_dict, reading_dict

router = Router(tags=["eco readings"], auth=person_auth)


def _reading(request: HttpRequest, reading_id: int) -> Any:
    return get_object_or_404(
        queries.visible_to(request.auth).select_related("vehicle", "vehicle__district"),
        pk=reading_id,
    )


@router.get(
    "/", response=list[ReadingOut], summary="Readings I may see; officials: the review queue"
)
def list_readings(
    request: HttpRequest,
    status: Text(10) = "",
    flag: Text(30) = "",
    limit: int = 100,
) -> list[dict]:
    """Oldest first. A citizen sees their own readings; an official their district's."""
    readings = queries.visible_to(request.auth)
    if status:
        readings = readings.filter(status=status)
    if flag:
        readings = readings.filter(flags__code=flag).distinct()
    readings = readings.select_related("vehicle", "vehicle__district").prefetch_related("flags")
    return [
        reading_dict(r) for r in readings.order_by("uploaded_at", "id")[: max(1, min(limit, 500))]
    ]


@router.get(
    "/audit",
    response=list[AuditOut],
    auth=PersonAuth(scope.is_official_or_city, "감사 기록은 담당자와 서울시만 볼 수 있습니다."),
    summary="Audit trail (city: all; officials: district)",
)
def audit(request: HttpRequest, limit: int = 200) -> list[dict]:
    entries = (
        queries.audit_visible_to(request.auth).select_related("actor").prefetch_related("subject")
    )
    return [audit_dict(e) for e in entries[: max(1, min(limit, 1000))]]


@router.get("/cycles/{cycle_id}", response=CycleOut, summary="One evaluation cycle")
def cycle_detail(request: HttpRequest, cycle_id: PathId) -> dict:
    return cycle_dict(get_object_or_404(queries.cycles_visible_to(request.auth), pk=cycle_id))


@router.post("/cycles/{cycle_id}/void", response=CycleOut, summary="Void a cycle (ECO-14)")
def void(request: HttpRequest, cycle_id: PathId, body: VoidIn) -> dict:
    cycle = get_object_or_404(
        queries.cycles_visible_to(request.auth).select_related("vehicle"), pk=cycle_id
    )
    return cycle_dict(services.void_cycle(request.auth, cycle, reason=body.reason, note=body.note))


@router.get("/appeals", response=list[AppealOut], summary="Appeals (이의신청) I may see")
def appeals(request: HttpRequest) -> list[dict]:
    return [
        appeal_dict(a)
        for a in queries.appeals_visible_to(request.auth).order_by("created_at")[:200]
    ]


def _open_appeal(
    request: HttpRequest, reading: Any, cycle: Any, body: str, photos: list | None
) -> Status:
    appeal = services.open_appeal(
        request.auth, reading=reading, cycle=cycle, body=body, photos=photos or []
    )
    return Status(201, appeal_dict(appeal))


@router.post("/{reading_id}/appeal", response={201: AppealOut}, summary="Appeal a rejection, once")
def appeal_reading(
    request: HttpRequest,
    reading_id: PathId,
    body: Form[MessageText],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """이의신청 against a rejected reading, with a message and new photos (multipart)."""
    return _open_appeal(request, _reading(request, reading_id), None, body, photos)


@router.post("/cycles/{cycle_id}/appeal", response={201: AppealOut}, summary="Appeal a void, once")
def appeal_cycle(
    request: HttpRequest,
    cycle_id: PathId,
    body: Form[MessageText],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """이의신청 against a voided cycle (ECO-14)."""
    cycles = queries.cycles_visible_to(request.auth).select_related("vehicle")
    return _open_appeal(request, None, get_object_or_404(cycles, pk=cycle_id), body, photos)


def _appeal(request: HttpRequest, appeal_id: int) -> Any:
    return get_object_or_404(
        queries.appeals_visible_to(request.auth).select_related("vehicle"), pk=appeal_id
    )


@router.get("/appeals/{appeal_id}", response=AppealOut, summary="One appeal with its thread")
def appeal_detail(request: HttpRequest, appeal_id: PathId) -> dict:
    appeal = _appeal(request, appeal_id)
    access.record(
        request, AccessKind.APPEAL, subject=appeal.vehicle.owner, record=f"이의신청 #{appeal.pk}"
    )
    return appeal_dict(appeal)


@router.post(
    "/appeals/{appeal_id}/messages", response={201: AppealOut}, summary="Write in the thread"
)
def appeal_message(request: HttpRequest, appeal_id: PathId, body: MessageIn) -> Status:
    appeal = _appeal(request, appeal_id)
    services.add_message(request.auth, appeal, body=body.body)
    return Status(201, appeal_dict(appeal))


@router.post(
    "/appeals/{appeal_id}/decision", response=AppealOut, summary="Answer an appeal (district)"
)
def appeal_decision(request: HttpRequest, appeal_id: PathId, body: DecisionIn) -> dict:
    appeal = services.decide_appeal(
        request.auth, _appeal(request, appeal_id), accept=body.accept, body=body.body
    )
    return appeal_dict(appeal)


@router.get("/{reading_id}", response=ReadingOut, summary="One reading with its flags")
def reading_detail(request: HttpRequest, reading_id: PathId) -> dict:
    reading = _reading(request, reading_id)
    access.record(
        request,
        AccessKind.READING,
        subject=reading.vehicle.owner,
        record=f"주행거리 기록 #{reading.pk}",
    )
    return reading_dict(reading)


@router.post(
    "/{reading_id}/approve",
    response=ReadingOut,
    summary="Approve (ECO-3), optionally correcting km",
)
def approve(request: HttpRequest, reading_id: PathId, body: ApproveIn) -> dict:
    reading = services.approve_reading(
        request.auth,
        _reading(request, reading_id),
        version=body.version,
        corrected_km=body.corrected_km,
        note=body.note,
    )
    return reading_dict(reading)


@router.post(
    "/{reading_id}/reject", response=ReadingOut, summary="Reject with a listed reason (ECO-3)"
)
def reject(request: HttpRequest, reading_id: PathId, body: RejectIn) -> dict:
    reading = services.reject_reading(
        request.auth,
        _reading(request, reading_id),
        version=body.version,
        reason=body.reason,
        note=body.note,
    )
    return reading_dict(reading)
