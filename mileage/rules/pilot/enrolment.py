"""PILOT-1 period and cap, PILOT-2 eligibility: checks the enrolment service asks."""

from __future__ import annotations

from datetime import date

from mileage.rules.params import Parameters
from mileage.rules.vehicle import vehicle_failures

PILOT_BODY_TYPES = ("passenger",)  # PILOT-2: 승용차 only
PILOT_INSURERS = {"hanwha": ("photo",), "hicar-direct": ("photo", "obd"), "mg": ("photo",)}


def pilot_period(params: Parameters) -> tuple[date, date]:
    """PILOT-1: the pilot's period (사업기간) 2014-10-01..2015-03-31, inclusive."""
    period = params.latest("pilot.period")
    return period["from"], period["to"]


def contract_in_period(contract_on: date, params: Parameters) -> bool:
    """PILOT-1 / E-12: an insurance contract (new or renewed) inside the period."""
    first, last = pilot_period(params)
    return first <= contract_on <= last


def enrolment_open(enrolled_count: int, params: Parameters, on: date) -> bool:
    """PILOT-1: first come first served; the 50,001st enrolment is refused."""
    return enrolled_count < int(params.at("pilot.max_vehicles", on))


def pilot_vehicle_failures(
    *,
    seats: int,
    body_type: str,
    commercial: bool,
    registered_in_seoul: bool,
    params: Parameters,
    on: date,
) -> list[str]:
    """PILOT-2: the conditions of an eligible pilot vehicle this one fails (empty: eligible):
    a Seoul-registered, non-commercial passenger car (승용차) with at most 10 seats. Codes from
    `mileage.rules.vehicle`."""
    return vehicle_failures(
        seats=seats,
        max_seats=int(params.at("pilot.max_seats", on)),
        body_type=body_type,
        body_types=PILOT_BODY_TYPES,
        commercial=commercial,
        registered_in_seoul=registered_in_seoul,
    )


def pilot_vehicle_eligible(
    *,
    seats: int,
    body_type: str,
    commercial: bool,
    registered_in_seoul: bool,
    params: Parameters,
    on: date,
) -> bool:
    """PILOT-2: a Seoul-registered, non-commercial passenger car with at most 10 seats."""
    return not pilot_vehicle_failures(
        seats=seats,
        body_type=body_type,
        commercial=commercial,
        registered_in_seoul=registered_in_seoul,
        params=params,
        on=on,
    )
