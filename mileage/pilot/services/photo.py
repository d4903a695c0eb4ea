"""Photo readings from insurers (사진방식, PILOT-3): the readings app's photo pipeline and review.

The insurer forwards the member's plate and dashboard photos; the readings app checks and
stores them (content check, EXIF date, GPS strip, stored once by hash, flags) and puts the
reading in the district official's review queue, exactly as for eco-mileage. This module adds
what the pilot decides: the event order, the PILOT-3 deadline and the link to the enrolment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.partners.models import Partner
from mileage.readings.photos import discard
from mileage.readings.services.submit import Plan, submit_reading

from .. import errors
from ..actors import partner_actor
from ..models import Enrolment, EnrolmentReading, ReadingEvent
from . import readings as pilot_readings


def submit_photo_reading(
    enrolment: Enrolment,
    partner: Partner,
    *,
    event: str,
    km: Any,
    plate_photo: Any,
    dashboard_photo: Any,
    sent_on: dt.date | None = None,
    changed_on: dt.date | None = None,
    new_plate: str = "",
) -> tuple[EnrolmentReading, str]:
    """One photo reading for an enrolment; returns the link row and the Korean deadline message.

    `sent_on` is the day the member sent the photos to the insurer (전송일), the date PILOT-3
    counts [interp]; it defaults to today and may not be in the future.
    """
    if enrolment.partner_id != partner.pk:
        raise errors.EnrolmentNotFound()
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise errors.ReadingOutOfOrder("전송일(sent_on)은 오늘이나 그 이전이어야 합니다.")
    actor = partner_actor(partner)
    verdict = pilot_readings.check_deadline(
        enrolment, event, sent_on, changed_on=changed_on, partner=partner, actor=actor
    )
    files: list[str] = []
    try:
        with transaction.atomic():
            vehicle = pilot_readings.current_vehicle(enrolment)
            if event == ReadingEvent.CHANGE_IN:
                vehicle = pilot_readings.replacement_vehicle(
                    enrolment, vehicle, new_plate, changed_on or sent_on, actor
                )
            km_value = _km(km)
            pilot_readings.check_order(enrolment, event, vehicle, km_value)
            plan = Plan(warnings=[verdict.message] if verdict.early else [])
            reading = submit_reading(
                actor,
                vehicle,
                event=event,
                km=km_value,
                plate_photo=plate_photo,
                dashboard_photo=dashboard_photo,
                today=sent_on,
                written=files,
                partner_plan=plan,
            )
            row = pilot_readings.record(
                enrolment,
                event=event,
                vehicle=vehicle,
                km=reading.km,
                uploaded_on=sent_on,
                verdict=verdict,
                reading=reading,
                actor=actor,
            )
    except BaseException:
        discard(files)
        raise
    return row, verdict.message


def _km(raw: Any) -> int:
    from mileage.readings.services.submit import parse_km

    return parse_km(raw)
