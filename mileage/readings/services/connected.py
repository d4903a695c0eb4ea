"""Connected-car readings (커넥티드카 주행거리, ECO-18) as eco-mileage readings.

A carmaker's telematics service sends a signed odometer value for a member who consented
(`mileage.pilot.services.signed` verifies the signature and the consent). ECO-18: such a reading
carries the partner, its signature and its own timestamp as the effective date, and needs no
photo review. So it is stored here as an *approved* `Reading` (channel `connected`, no photos),
and it opens and closes cycles exactly like an approved photo reading (ECO-3, ECO-5). Histories
(`queries.approved_histories`) and the evaluation runs' SQL read it with the others.

[interp] ECO-18 + ECO-5: the device's timestamp is both the capture date (C-1 effective date)
and the upload date that ECO-5 windows and ECO-12 payment dates count: the device sends what it
measures, so the measurement day is the day the city received the value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.core import audit
from mileage.core.notify import get_notifier
from mileage.vehicles.models import Vehicle

from .. import errors
from ..models import Channel, Event, Reading, ReadingStatus
from . import state
from .review import open_next_cycle
from .submit import _plan, parse_km

CONNECTED_EVENTS = (Event.INITIAL, Event.ANNUAL, Event.SEASON_START, Event.SEASON_END)


def record_connected_reading(
    actor: Any,
    vehicle: Vehicle,
    *,
    event: str,
    km: Any,
    measured_on: dt.date,
    evidence: dict[str, Any],
) -> Reading:
    """ECO-18: store a verified connected-car reading as approved and open/close its cycle.

    `actor` is the partner's service account; `evidence` (partner, key id, device, timestamp,
    signature) goes to the audit trail. The same checks of event order and windows as for a
    photo reading apply on the measurement date (ECO-2, ECO-5, ECO-17); a refusal writes nothing.
    Call inside the caller's transaction when it stores its own row too.
    """
    if event not in CONNECTED_EVENTS:
        raise errors.WrongEvent(
            "커넥티드카 주행거리 구분은 initial, annual, season-start, season-end 입니다."
        )
    km_value = parse_km(km)
    plan = _plan(vehicle, event, measured_on)
    if Reading.objects.filter(
        vehicle=vehicle, event=event, status=ReadingStatus.SUBMITTED
    ).exists():  # a photo reading of this event is in review: one source per event
        raise errors.AlreadyPending()
    before = state.last_approved_in_chain(vehicle)
    if before is not None and measured_on < before.effective_on:  # ECO-4, like photo dates
        raise errors.PhotoBeforePrevious(
            f"측정일({measured_on})이 이전에 승인된 등록({before.effective_on})보다 앞섭니다."
        )
    if before is not None and before.event != Event.SEASON_END and km_value < before.km:
        raise errors.BadKm(
            f"누적주행거리({km_value:,}km)가 이전 승인값({before.km:,}km)보다 작습니다."
        )
    try:
        with transaction.atomic():
            reading = Reading.objects.create(
                vehicle=vehicle,
                event=event,
                km=km_value,
                km_submitted=km_value,
                taken_on=measured_on,
                uploaded_on=measured_on,
                cycle_no=plan.cycle_no,
                submitted_by=actor,
                channel=Channel.CONNECTED,
                warnings=plan.warnings,
                status=ReadingStatus.APPROVED,
                reviewed_at=timezone.now(),
                review_note="커넥티드카 서명 확인 (ECO-18, 사진 심사 없음)",
            )
            open_next_cycle(reading)
            audit.record(
                actor,
                "reading.connected",
                vehicle,
                reading=reading,
                note="ECO-18 서명 확인, 자동 승인",
                data={"km": km_value, "event": event, **evidence},
            )
            get_notifier().send(
                vehicle.owner,
                kind="reading.decision",
                subject=f"[에코마일리지] {vehicle.plate} {reading.event_label} 접수",
                body=(
                    f"커넥티드카로 전송된 주행거리 {km_value:,} km({measured_on} 측정)가 "
                    "사진 심사 없이 승인되었습니다 (ECO-18)."
                ),
                key=f"reading:{reading.pk}:decision",
            )
    except IntegrityError as exc:  # a second approved initial (reading_one_approved_initial)
        raise errors.WrongEvent("이미 최초 등록이 승인된 차량입니다.") from exc
    return reading
