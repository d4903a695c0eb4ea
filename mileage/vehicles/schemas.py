"""API shapes of enrolled vehicles (ECO-1, ECO-11, ECO-13) and their dashboard figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from mileage.core.input import Text


class VehicleIn(Schema):
    plate: Text(20, min_length=1)
    citizen_username: Text(150) = ""  # walk-in (ECO-2): the official names the citizen


class VehicleOut(Schema):
    id: int
    plate: str
    kind: str
    seats: int
    use: str
    fuel: str
    first_registered_on: dt.date
    district_code: str
    owner: str
    co_owners: list[str]
    channel: str
    status: str
    ended_on: dt.date | None
    end_reason: str
    previous_id: int | None
    changed_on: dt.date | None


class DashboardOut(Schema):
    vehicle: VehicleOut
    cycle_number: int | None
    window_opens_on: dt.date | None
    window_closes_on: dt.date | None
    driven_km: int | None
    driven_days: int | None
    annual_km: float | None
    co2_emitted_kg: float | None
    co2_avoided_kg: float | None
    evaluated_cycles: list[dict[str, Any]]
    readings: list[dict[str, Any]]


class EstimateOut(Schema):
    km: int
    on: dt.date
    cycle: dict[str, Any] | None
    explanation: list[str]
    error: str
