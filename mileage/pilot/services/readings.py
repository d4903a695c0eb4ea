"""Pilot readings (주행거리 정보 전송): order, PILOT-3 deadlines, PILOT-9 replacement, PILOT-10 void.

Both kinds of reading end here: photo readings after the readings app stored them for review,
signed OBD readings after their signature was verified. A late reading voids the participation
(PILOT-3, E-11): the void is committed and the partner gets a 409 saying why.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from mileage.core import audit
from mileage.vehicles.models import Status as VehicleStatus
from mileage.vehicles.models import Vehicle

from .. import deadlines, errors
from ..models import Enrolment, EnrolmentReading, ReadingEvent, Status

log = logging.getLogger(__name__)

PILOT_EVENTS = (
    ReadingEvent.INITIAL,
    ReadingEvent.FINAL,
    ReadingEvent.CHANGE_OUT,
    ReadingEvent.CHANGE_IN,
)


def void_enrolment(
    enrolment: Enrolment, reason: str, *, actor: Any = None, partner: Any = None
) -> None:
    """PILOT-10: the participation is void (무효); kept with who, when and why."""
    with transaction.atomic():
        updated = Enrolment.objects.filter(pk=enrolment.pk, status=Status.ACTIVE).update(
            status=Status.VOID, void_reason=reason[:200]
        )
        if updated:
            audit.record(actor, "pilot.void", enrolment, partner=partner, note=reason)
    enrolment.refresh_from_db()


def _last(enrolment: Enrolment, vehicle: Vehicle | None = None) -> EnrolmentReading | None:
    rows = enrolment.readings.all()
    if vehicle is not None:
        rows = rows.filter(vehicle=vehicle)
    return rows.order_by("-created_at", "-id").first()


def check_order(enrolment: Enrolment, event: str, vehicle: Vehicle, km: int) -> None:
    """PILOT-3 order: one initial first; change-out then change-in (PILOT-9); one final last.
    E-1: the odometer never goes down on one vehicle (a change-in starts a new odometer)."""
    events = list(enrolment.readings.values_list("event", flat=True))
    if event not in PILOT_EVENTS:
        raise errors.ReadingOutOfOrder(
            "시범사업 주행거리 구분은 initial, final, change-out, change-in 입니다."
        )
    if event == ReadingEvent.INITIAL and events:
        raise errors.ReadingOutOfOrder("최초 주행거리 정보는 이미 접수되었습니다.")
    if event != ReadingEvent.INITIAL and ReadingEvent.INITIAL not in events:
        raise errors.ReadingOutOfOrder("최초 주행거리 정보를 먼저 전송해 주세요.")
    if ReadingEvent.FINAL in events:
        raise errors.ReadingOutOfOrder("최종 주행거리 정보가 이미 접수되었습니다.")
    last = events[-1] if events else None
    if event == ReadingEvent.CHANGE_IN and last != ReadingEvent.CHANGE_OUT:
        raise errors.ReadingOutOfOrder("대체 전 차량(change-out)의 주행거리를 먼저 전송해 주세요.")
    if event != ReadingEvent.CHANGE_IN and last == ReadingEvent.CHANGE_OUT:
        raise errors.ReadingOutOfOrder("대체 후 차량(change-in)의 주행거리를 전송해 주세요.")
    if event != ReadingEvent.CHANGE_IN:
        previous = _last(enrolment, vehicle)
        if previous is not None and km < previous.km:
            raise errors.KmDecreased(
                f"누적주행거리({km:,}km)가 이전 제출값({previous.km:,}km)보다 작습니다."
            )


def current_vehicle(enrolment: Enrolment) -> Vehicle:
    """The vehicle the participation is on now (PILOT-9 replacements chain by `previous`)."""
    vehicle = enrolment.vehicle
    while True:
        successor = Vehicle.objects.filter(previous=vehicle).first()
        if successor is None:
            return vehicle
        vehicle = successor


def deadline_for(
    enrolment: Enrolment, event: str, uploaded_on: dt.date, changed_on: dt.date | None
) -> deadlines.Deadline:
    if event == ReadingEvent.INITIAL:
        return deadlines.initial(enrolment.contract_on, uploaded_on)
    if event == ReadingEvent.FINAL:
        return deadlines.final(enrolment.contract_on, uploaded_on)
    if changed_on is None:
        raise errors.ReadingOutOfOrder("차량대체·계기판 교체일(changed_on)이 필요합니다.")
    return deadlines.replacement(enrolment.contract_on, changed_on, uploaded_on)


def check_deadline(
    enrolment: Enrolment,
    event: str,
    uploaded_on: dt.date,
    *,
    changed_on: dt.date | None = None,
    partner: Any = None,
    actor: Any = None,
) -> deadlines.Deadline:
    """PILOT-3: the deadline verdict; a late reading voids the participation and is refused."""
    if enrolment.status != Status.ACTIVE:
        raise errors.EnrolmentClosed()
    if changed_on is not None and changed_on < enrolment.contract_on:  # issue #13, finding 6
        raise errors.ReadingOutOfOrder(
            f"차량대체·계기판 교체일(changed_on)은 보험계약일({enrolment.contract_on:%Y년 %m월 %d일}) "
            "이후여야 합니다."
        )
    verdict = deadline_for(enrolment, event, uploaded_on, changed_on)
    if changed_on is not None and uploaded_on < changed_on:
        raise errors.ReadingOutOfOrder(verdict.message)
    if not verdict.on_time:
        void_enrolment(enrolment, verdict.message, actor=actor, partner=partner)
        log.info("pilot reading late enrolment=%s event=%s", enrolment.pk, event)
        raise errors.LateReading(verdict.message, detail={"due_on": verdict.due_on.isoformat()})
    return verdict


def record(
    enrolment: Enrolment,
    *,
    event: str,
    vehicle: Vehicle,
    km: int,
    uploaded_on: dt.date,
    verdict: deadlines.Deadline,
    reading: Any = None,
    partner_reading: Any = None,
    actor: Any = None,
) -> EnrolmentReading:
    """Link a stored reading to the enrolment (call inside the caller's transaction)."""
    row = EnrolmentReading.objects.create(
        enrolment=enrolment,
        event=event,
        vehicle=vehicle,
        reading=reading,
        partner_reading=partner_reading,
        km=km,
        uploaded_on=uploaded_on,
        deadline_on=verdict.due_on,
    )
    audit.record(
        actor,
        f"pilot.reading.{event}",
        enrolment,
        partner=enrolment.partner,
        data={"km": km, "uploaded_on": uploaded_on.isoformat(), "early": verdict.early},
    )
    return row


def replacement_vehicle(
    enrolment: Enrolment, old: Vehicle, new_plate: str | None, changed_on: dt.date, actor: Any
) -> Vehicle:
    """PILOT-9: a vehicle replacement (차량대체) moves the participation to the new vehicle; a
    dashboard replacement (계기판 교체, no new plate) keeps the vehicle and restarts its odometer."""
    from mileage.vehicles.registry import get_registry, normalise_plate

    from .enrol import eligibility_reasons

    if not new_plate:
        return old
    plate = normalise_plate(new_plate)
    if plate == old.plate:
        return old
    record = get_registry().lookup(plate)
    reasons = eligibility_reasons(record, changed_on)
    if reasons:
        raise errors.NotEligible(" ".join(reasons), detail={"reasons": reasons})
    assert record is not None
    Vehicle.objects.filter(pk=old.pk, status=VehicleStatus.ACTIVE).update(
        status=VehicleStatus.CHANGED, changed_on=changed_on
    )
    return Vehicle.objects.create(
        owner=old.owner,
        plate=plate,
        kind=record.kind,
        seats=record.seats,
        use=record.use,
        fuel=record.fuel,
        first_registered_on=record.first_registered_on,
        district=old.district.__class__.objects.get(code=record.district_code),
        registered_by=actor,
        previous=old,
    )
