"""The vehicle conditions ECO-1 and PILOT-2 share: where it is registered, its body type, its
seats and its use. Each programme names its own limits; the app words the reasons in Korean."""

from __future__ import annotations

from collections.abc import Collection

# The conditions a vehicle may fail, in the order they are reported.
NOT_IN_SEOUL = "not-in-seoul"
BODY_TYPE = "body-type"
TOO_MANY_SEATS = "too-many-seats"
COMMERCIAL = "commercial"


def vehicle_failures(
    *,
    seats: int,
    max_seats: int,
    body_type: str,
    body_types: Collection[str],
    commercial: bool,
    registered_in_seoul: bool,
) -> list[str]:
    """The conditions of a programme this vehicle fails (empty: eligible)."""
    failures = []
    if not registered_in_seoul:
        failures.append(NOT_IN_SEOUL)
    if body_type not in body_types:
        failures.append(BODY_TYPE)
    if seats > max_seats:
        failures.append(TOO_MANY_SEATS)
    if commercial:
        failures.append(COMMERCIAL)
    return failures
