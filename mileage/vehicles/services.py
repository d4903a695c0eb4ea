"""Vehicle use cases: register (ECO-1, ECO-2 walk-in), early end (ECO-11), change (ECO-13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.accounts import scope
from mileage.accounts.models import District
from mileage.core import audit
from mileage.core.parameters import current_parameters
from mileage.rules import vehicle
from mileage.rules.eco.eligibility import (
    CO_OWNER,
    NOT_OWNER,
    eco_enrolling_person_failure,
    eco_vehicle_failures,
    walk_in_district_office_only,
)

from . import errors
from .models import Channel, EndReason, Status, Vehicle
from .registry import RegistryRecord, get_registry, identity_key, normalise_plate, person_key


def check_walk_in_allowed(official: Any, district: District) -> None:
    """ECO-2: an official takes walk-in enrolments for their own district; in 서대문구 only at
    the district office (an official attached to a community centre may not)."""
    if not scope.is_official(official):
        raise errors.WalkInNotAllowed("방문 신청은 구청·주민센터 담당자만 받을 수 있습니다.")
    if official.district_id != district.pk:
        raise errors.WalkInNotAllowed("담당 자치구에 등록된 차량만 방문 신청을 받을 수 있습니다.")
    on = timezone.localdate()
    if official.community_centre and walk_in_district_office_only(
        district.code, current_parameters(), on
    ):
        raise errors.WalkInNotAllowed()


def check_eligibility(citizen: Any, plate: str) -> RegistryRecord:
    """ECO-1 through the registry adapter; raises NotEligible with the Korean reasons."""
    record = get_registry().lookup(plate)
    key = person_key(record, citizen) if record is not None else identity_key(citizen)
    reasons = ineligibility_reasons(record, key, timezone.localdate())
    if reasons:
        raise errors.NotEligible(" ".join(reasons), detail={"reasons": reasons})
    assert record is not None
    return record


def ineligibility_reasons(record: RegistryRecord | None, key: str, on: dt.date) -> list[str]:
    """ECO-1, as the rules engine decides it: the Korean reasons why this person may not enrol
    this vehicle (empty: eligible)."""
    if record is None:
        return ["자동차 등록원부에서 차량번호를 찾을 수 없습니다. 차량번호를 확인해 주세요."]
    params = current_parameters()
    failures = eco_vehicle_failures(
        seats=record.seats,
        body_type=record.kind,
        commercial=record.use != "private",
        registered_in_seoul=record.registered_in_seoul,
        params=params,
        on=on,
    )
    person = eco_enrolling_person_failure(key, record.owner_key, record.co_owner_keys)
    if person is not None:
        failures.append(person)
    max_seats = int(params.at("eco.max_seats", on))
    messages = {
        vehicle.NOT_IN_SEOUL: "서울시에 등록된 차량만 참여할 수 있습니다.",
        vehicle.BODY_TYPE: "승용차와 승합차만 참여할 수 있습니다.",
        vehicle.TOO_MANY_SEATS: f"승차정원 {max_seats}인 이하 차량만 참여할 수 있습니다.",
        vehicle.COMMERCIAL: "비사업용 차량만 참여할 수 있습니다.",
        CO_OWNER: "공동소유 차량은 대표 소유자만 가입할 수 있습니다.",
        NOT_OWNER: "본인 명의의 차량만 등록할 수 있습니다.",
    }
    return [messages[failure] for failure in failures]


def register_vehicle(
    citizen: Any, raw_plate: str, *, actor: Any = None, previous: Vehicle | None = None
) -> Vehicle:
    """ECO-1/ECO-2: enrol a vehicle for its representative owner (online, or walk-in when an
    official is the actor). The plate's uniqueness is the database's job, so two simultaneous
    requests cannot both succeed."""
    actor = actor or citizen
    if not scope.is_citizen(citizen):
        raise errors.NotEligible("시민 회원만 차량을 등록할 수 있습니다.")
    plate = normalise_plate(raw_plate)
    record = check_eligibility(citizen, plate)
    district = District.objects.filter(code=record.district_code).first()
    if district is None:
        raise errors.NotEligible("서울시에 등록된 차량만 참여할 수 있습니다.")
    walk_in = actor.pk != citizen.pk
    if walk_in:
        check_walk_in_allowed(actor, district)
    if Vehicle.objects.filter(plate=plate, status=Status.ACTIVE).exists():
        raise errors.PlateAlreadyEnrolled()
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                owner=citizen,
                plate=plate,
                kind=record.kind,
                seats=record.seats,
                use=record.use,
                fuel=record.fuel,
                first_registered_on=record.first_registered_on,
                district=district,
                co_owners=list(record.co_owner_names),
                channel=Channel.WALK_IN if walk_in else Channel.ONLINE,
                registered_by=actor,
                previous=previous,
            )
            audit.record(
                actor,
                "vehicle.walk_in" if walk_in else "vehicle.register",
                vehicle,
                data={"plate": plate, "previous": previous.pk if previous else None},
            )
    except IntegrityError as exc:  # the other of two simultaneous requests won
        raise errors.PlateAlreadyEnrolled() from exc
    return vehicle


def mark_ended(vehicle: Vehicle, actor: Any, reason: str, on: dt.date) -> Vehicle:
    """ECO-11: record an early end (명의이전 / 말소) with its date; called inside the service
    that also stores the end reading."""
    if reason not in EndReason.values or on is None:
        raise errors.BadEnd()
    updated = Vehicle.objects.filter(pk=vehicle.pk, status=Status.ACTIVE).update(
        status=Status.ENDED, ended_on=on, end_reason=reason
    )
    if updated != 1:
        raise errors.VehicleNotActive()
    vehicle.refresh_from_db()
    audit.record(actor, "vehicle.end", vehicle, reason=reason, data={"on": on.isoformat()})
    return vehicle


def mark_changed(old: Vehicle, actor: Any, on: dt.date) -> None:
    """ECO-13: the old vehicle leaves; its participation continues on its successor."""
    updated = Vehicle.objects.filter(pk=old.pk, status=Status.ACTIVE).update(
        status=Status.CHANGED, changed_on=on
    )
    if updated != 1:
        raise errors.VehicleNotActive()
    old.refresh_from_db()
    audit.record(actor, "vehicle.change", old, data={"on": on.isoformat()})
