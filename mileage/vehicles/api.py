"""/api/v1/vehicles/: enrol (ECO-1; walk-in ECO-2) and list. People only.

A vehicle's readings, dashboard figures, early end (ECO-11), change (ECO-13) and the "what would
I get?" calculator under the same prefix are `mileage.readings.vehicle_api` (they need readings;
vehicles never imports readings)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mileage.accounts import scope
from mileage.accounts.models import User
from mileage.core.errors import Forbidden, NotFound
from mileage.core.guards import person_auth

from . import services
from .models import Vehicle
from .queries import vehicles_visible_to
from .schemas import VehicleIn, VehicleOut

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


def owned_vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    """The vehicle by id if the caller may see it (another district's or person's id is a 404)."""
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
