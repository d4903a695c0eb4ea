"""/api/v1/vehicles/: enrol (ECO-1; walk-in ECO-2), list, dashboard figures, early end
(ECO-11), vehicle change (ECO-13) and the "what would I get?" calculator. People only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile

from mileage.accounts import scope
from mileage.accounts.models import User
from mileage.core.errors import Forbidden, NotFound
from mileage.core.guards import person_auth
from mileage.readings import services as reading_services
from mileage.readings.schemas import ReadingOut
from mileage.readings.serialize import reading_dict
from mileage.readings.summary import vehicle_summary, what_would_i_get

from . import services
from .models import Vehicle
from .queries import vehicles_visible_to
from .schemas import DashboardOut, EstimateOut, VehicleIn, VehicleOut

router = Router(tags=["eco vehicles"], auth=person_auth)


def vehicle_dict(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "id": vehicle.pk,
        "plate": vehicle.plate,
        "kind": vehicle.kind,
        "seats": vehicle.seats,
        "use": vehicle.use,
        "fuel": vehicle.fuel,
        "first_registered_on": vehicle.first_registered_on,
        "district_code": vehicle.district.code,
        "owner": str(vehicle.owner),
        "co_owners": vehicle.co_owners,
        "channel": vehicle.channel,
        "status": vehicle.status,
        "ended_on": vehicle.ended_on,
        "end_reason": vehicle.end_reason,
        "previous_id": vehicle.previous_id,
        "changed_on": vehicle.changed_on,
    }


def _vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    return get_object_or_404(
        vehicles_visible_to(request.auth).select_related("district", "owner"), pk=vehicle_id
    )


def walk_in_citizen(official: Any, username: str) -> User:
    """ECO-2: the citizen an official enrols at the counter (looked up in the official's scope)."""
    citizen = (
        scope.users_visible_to(official).filter(username=username.strip(), role="citizen").first()
    )
    if citizen is None:
        raise NotFound("해당 아이디의 시민 회원을 담당 자치구에서 찾을 수 없습니다.")
    return citizen


@router.get("/", response=list[VehicleOut], summary="Vehicles I may see")
def list_vehicles(request: HttpRequest) -> list[dict]:
    vehicles = vehicles_visible_to(request.auth).select_related("district", "owner")
    return [vehicle_dict(v) for v in vehicles.order_by("id")[:500]]


@router.post("/", response={201: VehicleOut}, summary="Enrol a vehicle (ECO-1); officials: walk-in")
def register(request: HttpRequest, body: VehicleIn) -> Status:
    if scope.is_official(request.auth):
        citizen = walk_in_citizen(request.auth, body.citizen_username)
        vehicle = services.register_vehicle(citizen, body.plate, actor=request.auth)
    elif scope.is_citizen(request.auth):
        vehicle = services.register_vehicle(request.auth, body.plate)
    else:
        raise Forbidden()
    return Status(201, vehicle_dict(vehicle))


@router.get("/{vehicle_id}", response=DashboardOut, summary="A vehicle's dashboard figures")
def vehicle_detail(request: HttpRequest, vehicle_id: int) -> dict:
    """Current cycle and window (ECO-5), km so far (C-3), CO₂ emitted and avoided (estimates)."""
    vehicle = _vehicle(request, vehicle_id)
    summary = vehicle_summary(vehicle, timezone.localdate())
    readings = vehicle.readings.select_related("vehicle", "vehicle__district").prefetch_related(
        "flags"
    )
    return {
        "vehicle": vehicle_dict(vehicle),
        "cycle_number": summary.cycle.number if summary.cycle else None,
        "window_opens_on": summary.cycle.window_opens_on if summary.cycle else None,
        "window_closes_on": summary.cycle.window_closes_on if summary.cycle else None,
        "driven_km": summary.driven_km,
        "driven_days": summary.driven_days,
        "annual_km": summary.annual_km,
        "co2_emitted_kg": summary.co2_emitted_kg,
        "co2_avoided_kg": summary.co2_avoided_kg,
        "evaluated_cycles": summary.evaluated,
        "readings": [reading_dict(r) for r in readings.order_by("id")],
    }


@router.get(
    "/{vehicle_id}/estimate", response=EstimateOut, summary='"What would I get?" (rules engine)'
)
def estimate(request: HttpRequest, vehicle_id: int, km: int) -> dict:
    vehicle = _vehicle(request, vehicle_id)
    result = what_would_i_get(vehicle, km, timezone.localdate())
    return {
        "km": km,
        "on": result.on,
        "cycle": result.cycle,
        "explanation": [line.text("ko") for line in result.trace],
        "error": result.error,
    }


@router.post(
    "/{vehicle_id}/end", response={201: VehicleOut}, summary="Early end (ECO-11) with its reading"
)
def end(
    request: HttpRequest,
    vehicle_id: int,
    reason: Form[str],
    ended_on: Form[dt.date],
    km: Form[int],
    plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    vehicle = _vehicle(request, vehicle_id)
    reading_services.end_participation(
        request.auth,
        vehicle,
        reason=reason,
        ended_on=ended_on,
        km=km,
        plate_photo=plate_photo,
        dashboard_photo=dashboard_photo,
    )
    vehicle.refresh_from_db()
    return Status(201, vehicle_dict(vehicle))


@router.post("/{vehicle_id}/change", response={201: VehicleOut}, summary="Vehicle change (ECO-13)")
def change(
    request: HttpRequest,
    vehicle_id: int,
    new_plate: Form[str],
    out_km: Form[int],
    in_km: Form[int],
    out_plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    out_dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    in_plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    in_dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    """Returns the new vehicle; the old one's final reading and the new one's first are queued."""
    vehicle = _vehicle(request, vehicle_id)
    new = reading_services.change_vehicle(
        request.auth,
        vehicle,
        new_plate=new_plate,
        out_km=out_km,
        in_km=in_km,
        out_photos=(out_plate_photo, out_dashboard_photo),
        in_photos=(in_plate_photo, in_dashboard_photo),
    )
    return Status(201, vehicle_dict(new))


@router.post(
    "/{vehicle_id}/readings", response={201: ReadingOut}, summary="Submit a reading (two photos)"
)
def submit_reading(
    request: HttpRequest,
    vehicle_id: int,
    event: Form[str],
    km: Form[int],
    plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    """C-1/ECO-2..5/ECO-15..17, multipart: `event` (initial, annual, season-start, season-end),
    `km`, `plate_photo`, `dashboard_photo`. Photos are checked by content; a refusal stores
    nothing. An official of the vehicle's district submits as a walk-in (ECO-2)."""
    vehicle = _vehicle(request, vehicle_id)
    reading = reading_services.submit_reading(
        request.auth,
        vehicle,
        event=event,
        km=km,
        plate_photo=plate_photo,
        dashboard_photo=dashboard_photo,
    )
    return Status(201, reading_dict(reading))
