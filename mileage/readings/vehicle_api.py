"""/api/v1/vehicles/<id>/...: a vehicle's dashboard figures and readings, early end (ECO-11),
vehicle change (ECO-13) and the "what would I get?" calculator. People only.

Mounted under /vehicles/ beside `mileage.vehicles.api` (enrol, list); the operation ids keep
their published names.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile

from mileage.core.guards import person_auth
from mileage.core.input import FormKm, PastDay, PathId, QueryKm, Text
from mileage.vehicles.api import owned_vehicle, vehicle_dict
from mileage.vehicles.schemas import DashboardOut, EstimateOut, VehicleOut

from . import services as reading_services
from .schemas import ReadingOut
from .serialize import reading_dict
from .summary import vehicle_summary, what_would_i_get

router = Router(tags=["eco vehicles"], auth=person_auth)


@router.get(
    "/{vehicle_id}",
    response=DashboardOut,
    summary="A vehicle's dashboard figures",
    operation_id="mileage_vehicles_api_vehicle_detail",
)
def vehicle_detail(request: HttpRequest, vehicle_id: PathId) -> dict:
    """Current cycle and window (ECO-5), km so far (C-3), CO₂ emitted and avoided (estimates)."""
    vehicle = owned_vehicle(request, vehicle_id)
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
    "/{vehicle_id}/estimate",
    response=EstimateOut,
    summary='"What would I get?" (rules engine)',
    operation_id="mileage_vehicles_api_estimate",
)
def estimate(request: HttpRequest, vehicle_id: PathId, km: QueryKm) -> dict:
    vehicle = owned_vehicle(request, vehicle_id)
    result = what_would_i_get(vehicle, km, timezone.localdate())
    return {
        "km": km,
        "on": result.on,
        "cycle": result.cycle,
        "explanation": [line.text("ko") for line in result.trace],
        "error": result.error,
    }


@router.post(
    "/{vehicle_id}/end",
    response={201: VehicleOut},
    summary="Early end (ECO-11) with its reading",
    operation_id="mileage_vehicles_api_end",
)
def end(
    request: HttpRequest,
    vehicle_id: PathId,
    reason: Form[Text(15, min_length=1)],
    ended_on: Form[PastDay],
    km: Form[FormKm],
    plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    vehicle = owned_vehicle(request, vehicle_id)
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


@router.post(
    "/{vehicle_id}/change",
    response={201: VehicleOut},
    summary="Vehicle change (ECO-13)",
    operation_id="mileage_vehicles_api_change",
)
def change(
    request: HttpRequest,
    vehicle_id: PathId,
    new_plate: Form[Text(20, min_length=1)],
    out_km: Form[FormKm],
    in_km: Form[FormKm],
    out_plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    out_dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    in_plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    in_dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    """Returns the new vehicle; the old one's final reading and the new one's first are queued."""
    vehicle = owned_vehicle(request, vehicle_id)
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
    "/{vehicle_id}/readings",
    response={201: ReadingOut},
    summary="Submit a reading (two photos)",
    operation_id="mileage_vehicles_api_submit_reading",
)
def submit_reading(
    request: HttpRequest,
    vehicle_id: PathId,
    event: Form[Text(12, min_length=1)],
    km: Form[FormKm],
    plate_photo: File[UploadedFile] = None,  # type: ignore[assignment]
    dashboard_photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    """C-1/ECO-2..5/ECO-15..17, multipart: `event` (initial, annual, season-start, season-end),
    `km`, `plate_photo`, `dashboard_photo`. Photos are checked by content; a refusal stores
    nothing. An official of the vehicle's district submits as a walk-in (ECO-2)."""
    vehicle = owned_vehicle(request, vehicle_id)
    reading = reading_services.submit_reading(
        request.auth,
        vehicle,
        event=event,
        km=km,
        plate_photo=plate_photo,
        dashboard_photo=dashboard_photo,
    )
    return Status(201, reading_dict(reading))
