"""The programmes run through partners that the platform knows, created on demand (idempotent)."""

from __future__ import annotations

from mileage.core.parameters import current_parameters
from mileage.partners.models import Partner
from mileage.rules.pilot.enrolment import pilot_period

from .models import Method, Programme, ProgrammePartner

PILOT_2014 = "pilot-2014"


def pilot_2014() -> Programme:
    """PILOT-1: 2014-10-01 to 2015-03-31 (`pilot.period`), at most `pilot.max_vehicles`."""
    starts_on, ends_on = pilot_period(current_parameters())
    programme, _ = Programme.objects.get_or_create(
        code=PILOT_2014,
        defaults={
            "name": "승용차 마일리지 시범사업 (2014)",
            "rules_program": "pilot-2014",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "cap_parameter": "pilot.max_vehicles",
        },
    )
    return programme


def join(
    programme: Programme,
    partner: Partner,
    methods: list[str],
    *,
    homepage: str = "",
    phone: str = "",
) -> ProgrammePartner:
    """Make a partner a participant with its reading methods (PILOT-2) and public contacts."""
    for method in methods:
        Method(method)  # refuse an unknown method early
    link, _ = ProgrammePartner.objects.update_or_create(
        programme=programme,
        partner=partner,
        defaults={"methods": methods, "homepage": homepage, "phone": phone},
    )
    return link
