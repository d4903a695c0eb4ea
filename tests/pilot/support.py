"""Helpers: enrolments with signed OBD readings (no photo review), for evaluation and pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mileage.partners import signing
from mileage.pilot.models import Enrolment, Method, SigningKey
from mileage.pilot.programmes import pilot_2014
from mileage.pilot.services import signed
from mileage.pilot.services.enrol import enrol
from tests.pilot.conftest import hicar, request


def _key(partner: Any) -> tuple[SigningKey, str]:
    return signed.issue_signing_key(partner)


def obd_enrolment(
    plate: str,
    member: str,
    *,
    contract_on: dt.date,
    readings: list[tuple[str, int, dt.date]],
    today: dt.date | None = None,
) -> Enrolment:
    """Enrol through 현대하이카다이렉트 (OBD) and send each (event, km, day) signed."""
    partner = hicar()
    device = f"OBD-{plate}"
    enrolment = enrol(
        pilot_2014(),
        partner,
        request(
            plate,
            member,
            contract_on=contract_on,
            method=Method.OBD,
            obd_device_id=device,
        ),
        today=today or contract_on,
    )
    key, secret = _key(partner)
    for event, km, day in readings:
        stamp = f"{day.isoformat()}T09:00:00+09:00"
        message = signing.canonical_message(
            key_id=key.key_id, vehicle_ref=plate, odometer_km=km, device_id=device, timestamp=stamp
        )
        signed.receive(
            partner,
            signed.SignedReading(
                key_id=key.key_id,
                plate=plate,
                km=km,
                device_id=device,
                timestamp=stamp,
                signature=signing.sign(secret, message),
                event=event,
            ),
        )
    enrolment.refresh_from_db()
    return enrolment


def evaluated_pair() -> tuple[Enrolment, Enrolment]:
    """An electric car cutting 72% (35,000 + 20% = 42,000, PILOT-7) and a petrol car cutting
    80% (35,000) — both finals uploaded on 2015-04-20, paid from 2015-06-19 to 2015-06-29."""
    ev = obd_enrolment(
        "34나5678",
        "pilot-lee",
        contract_on=dt.date(2014, 10, 15),
        readings=[
            ("initial", 30000, dt.date(2014, 10, 16)),
            ("final", 31500, dt.date(2015, 4, 20)),
        ],
    )
    petrol = obd_enrolment(
        "12가3456",
        "pilot-kim",
        contract_on=dt.date(2014, 10, 15),
        readings=[
            ("initial", 40000, dt.date(2014, 10, 16)),
            ("final", 41000, dt.date(2015, 4, 20)),
        ],
    )
    return ev, petrol
