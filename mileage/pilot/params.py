"""The pilot's programme cap (PILOT-1), read from the current parameters."""

from __future__ import annotations

from datetime import date

from mileage.core.parameters import current_parameters
from mileage.rules.params import Parameters

from .models import Programme


def enrolment_cap(programme: Programme, on: date, params: Parameters | None = None) -> int | None:
    """PILOT-1: the programme's cap in force on `on` (None: the programme has no cap)."""
    if not programme.cap_parameter:
        return None
    return int((params or current_parameters()).at(programme.cap_parameter, on))
