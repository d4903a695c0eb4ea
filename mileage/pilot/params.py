"""The parameters the pilot reads: the shipped YAML with the city's overrides layered on top."""

from __future__ import annotations

from datetime import date

from mileage.rules.params import Parameters, default_parameters

from .models import Programme


def current_parameters() -> Parameters:
    """The one place the pilot gets its parameters from (overrides entered by the city are
    layered here once the evaluations app stores them)."""
    return default_parameters()


def enrolment_cap(programme: Programme, on: date, params: Parameters | None = None) -> int | None:
    """PILOT-1: the programme's cap in force on `on` (None: the programme has no cap)."""
    if not programme.cap_parameter:
        return None
    return int((params or current_parameters()).at(programme.cap_parameter, on))
