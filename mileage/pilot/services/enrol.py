"""Enrolment through a partner (가입): PILOT-1 cap, PILOT-2 eligibility and consent."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.accounts.models import District, Role
from mileage.core import audit
from mileage.core.parameters import current_parameters
from mileage.partners.models import Partner
from mileage.rules import vehicle
from mileage.rules.params import Parameters
from mileage.rules.pilot.enrolment import enrolment_open, pilot_vehicle_failures
from mileage.vehicles.models import Status as VehicleStatus
from mileage.vehicles.models import Vehicle
from mileage.vehicles.registry import RegistryRecord, get_registry, normalise_plate

from .. import errors
from ..actors import partner_actor
from ..models import (
    Consent,
    ContractKind,
    Enrolment,
    Method,
    Programme,
    ProgrammePartner,
    Purpose,
)
from ..params import enrolment_cap

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnrolmentRequest:
    """What a partner sends to enrol a policyholder's vehicle (parsed at the API edge)."""

    plate: str
    member_ci: str  # the policyholder's CI (연계정보) from the insurer's identity verification
    member_name: str
    policy_number: str
    contract_on: dt.date
    contract_kind: str
    method: str
    consent_given: bool
    consent_wording: str
    consent_version: str
    consented_at: dt.datetime | None
    member_phone: str = ""
    obd_device_id: str = ""


def eligibility_reasons(
    record: RegistryRecord | None, on: dt.date, params: Parameters | None = None
) -> list[str]:
    """PILOT-2: why this vehicle may not join (empty: eligible), in Korean, as the rules engine
    decides it: Seoul-registered, passenger car (승용차), at most 10 seats, non-commercial."""
    if record is None:
        return ["자동차 등록원부에서 차량번호를 찾을 수 없습니다."]
    params = params or current_parameters()
    failures = pilot_vehicle_failures(
        seats=record.seats,
        body_type=record.kind,
        commercial=record.use != "private",
        registered_in_seoul=record.registered_in_seoul,
        params=params,
        on=on,
    )
    max_seats = int(params.at("pilot.max_seats", on))
    messages = {
        vehicle.NOT_IN_SEOUL: "서울시에 등록된 차량만 참여할 수 있습니다.",
        vehicle.BODY_TYPE: "승용차만 참여할 수 있습니다.",
        vehicle.TOO_MANY_SEATS: f"{max_seats}인승 이하 차량만 참여할 수 있습니다.",
        vehicle.COMMERCIAL: "비영업용 차량만 참여할 수 있습니다.",
    }
    return [messages[failure] for failure in failures]


def _check_request(programme: Programme, partner: Partner, data: EnrolmentRequest) -> None:
    link = ProgrammePartner.objects.filter(programme=programme, partner=partner).first()
    if link is None:
        raise errors.NotAParticipant()
    if data.method not in link.methods:
        offered = ", ".join(Method(m).label for m in link.methods)
        raise errors.MethodNotOffered(f"이 보험사의 주행거리 확인 방식은 {offered}입니다.")
    if data.method == Method.OBD and not data.obd_device_id.strip():
        raise errors.MethodNotOffered("OBD 방식은 단말기 ID(obd_device_id)가 필요합니다.")
    # PILOT-2: consent to share with the city, kept with its time and exact wording.
    if not data.consent_given or not data.consent_wording.strip() or data.consented_at is None:
        raise errors.ConsentRequired()
    _check_consent_date(programme, data.consented_at)
    if not programme.starts_on <= data.contract_on <= programme.ends_on:  # E-12
        raise errors.ContractOutsidePeriod(
            f"보험계약일({data.contract_on})이 시범사업 기간({programme.starts_on} ~ "
            f"{programme.ends_on})에 속하지 않습니다. 기간 중 신규 또는 갱신 계약만 참여할 수 있습니다."
        )
    if data.contract_kind not in ContractKind.values:
        raise errors.NotEligible("보험계약은 신규(new) 또는 갱신(renewal)이어야 합니다.")


def _check_consent_date(programme: Programme, consented_at: dt.datetime) -> None:
    """PILOT-2: consent given within the programme's years (from 1 January of its first year to
    the end of the year after its period, when its last readings are paid) and not in the future
    (issue #13, finding 6: a consent dated 9999-12-31 was stored)."""
    if timezone.is_naive(consented_at):
        consented_at = timezone.make_aware(consented_at)
    day = timezone.localtime(consented_at).date()
    first = dt.date(programme.starts_on.year, 1, 1)
    last = dt.date(programme.ends_on.year + 1, 12, 31)
    if consented_at > timezone.now() + dt.timedelta(minutes=5) or not first <= day <= last:
        raise errors.ConsentRequired(
            f"동의 일시({day})가 올바르지 않습니다. 동의는 {first.year}년부터 {last.year}년 "
            "사이의, 현재 시각 이전이어야 합니다."
        )


def _verify_owner(record: RegistryRecord, data: EnrolmentRequest) -> None:
    """PILOT-2: only the registry's representative owner may be enrolled, proven by the CI the
    insurer verified. Checked before anything else about the vehicle or the accounts, so an
    insurer learns nothing about who is enrolled or which accounts exist."""
    if not record.owned_by(data.member_ci):
        raise errors.OwnerNotVerified()


def _member(record: RegistryRecord, data: EnrolmentRequest) -> Any:
    """The verified owner's platform account. A member who joined with 본인인증 is found by
    their CI (the one the registry matched); otherwise the account is made on first enrolment
    under the registry's owner key, carrying the CI (no password: they claim it by verifying
    their identity at 회원가입). An owner key that belongs to a staff account is refused with
    the same error as an unknown person."""
    User = get_user_model()
    joined = User.objects.filter(ci=data.member_ci).first()
    if joined is not None:
        if joined.role != Role.CITIZEN or not joined.is_active:
            raise errors.OwnerNotVerified()
        return joined
    # A registry row may know the owner only by CI: the account then gets a made-up sign-in
    # name, which the member replaces when they claim the account.
    username = record.owner_key or f"pilot-member-{secrets.token_hex(6)}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.CITIZEN,
            "display_name": data.member_name or record.owner_name,
            "phone": data.member_phone,
            "ci": data.member_ci,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif user.role != Role.CITIZEN or not user.is_active:
        raise errors.OwnerNotVerified()
    elif user.ci is None:
        user.ci = data.member_ci  # the insurer verified it and the registry confirmed it
        user.save(update_fields=["ci"])
    return user


def _vehicle(record: RegistryRecord, member: Any, actor: Any) -> Vehicle:
    vehicle = Vehicle.objects.filter(plate=record.plate, status=VehicleStatus.ACTIVE).first()
    if vehicle is not None:
        if vehicle.owner_id != member.pk:
            raise errors.NotEligible("다른 회원이 등록한 차량입니다.")
        return vehicle
    return Vehicle.objects.create(
        owner=member,
        plate=record.plate,
        kind=record.kind,
        seats=record.seats,
        use=record.use,
        fuel=record.fuel,
        first_registered_on=record.first_registered_on,
        district=District.objects.get(code=record.district_code),
        co_owners=list(record.co_owner_names),
        registered_by=actor,
    )


def enrol(
    programme: Programme,
    partner: Partner,
    data: EnrolmentRequest,
    *,
    params: Parameters | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    """PILOT-1/PILOT-2: enrol one vehicle, taking the next slot under the cap.

    The programme row is locked (SELECT ... FOR UPDATE) while the slot is counted and taken, so
    concurrent enrolments queue on it: first come, first served, never more than the cap. The
    unique (programme, slot) constraint backs the counter. Any refusal leaves nothing written.
    """
    today = today or timezone.localdate()
    params = params or current_parameters()
    _check_request(programme, partner, data)
    plate = normalise_plate(data.plate)
    record = get_registry().lookup(plate)
    reasons = eligibility_reasons(record, data.contract_on, params)
    if reasons:
        raise errors.NotEligible(" ".join(reasons), detail={"reasons": reasons})
    assert record is not None
    _verify_owner(record, data)
    try:
        with transaction.atomic():
            actor = partner_actor(partner)
            locked = Programme.objects.select_for_update().get(pk=programme.pk)
            cap = enrolment_cap(locked, today, params)
            if cap is not None and not enrolment_open(locked.enrolled, params, today):
                raise errors.CapReached(errors.CapReached.message.format(cap=cap))
            if Enrolment.objects.filter(programme=locked, vehicle__plate=plate).exists():
                raise errors.AlreadyEnrolled()
            member = _member(record, data)
            vehicle = _vehicle(record, member, actor)
            consent = Consent.objects.create(
                member=member,
                partner=partner,
                vehicle=vehicle,
                purpose=Purpose.PILOT_DATA,
                wording=data.consent_wording.strip(),
                wording_version=data.consent_version.strip()[:20],
                consented_at=data.consented_at,
            )
            locked.enrolled += 1
            locked.save(update_fields=["enrolled"])
            enrolment = Enrolment.objects.create(
                programme=locked,
                partner=partner,
                slot=locked.enrolled,
                vehicle=vehicle,
                member=member,
                policy_number=data.policy_number.strip(),
                contract_on=data.contract_on,
                contract_kind=data.contract_kind,
                method=data.method,
                obd_device_id=data.obd_device_id.strip(),
                consent=consent,
            )
            audit.record(
                actor,
                "pilot.enrol",
                enrolment,
                partner=partner,
                data={"slot": enrolment.slot, "plate": plate, "cap": cap},
            )
    except IntegrityError as exc:  # the same vehicle enrolled by a simultaneous request
        raise errors.AlreadyEnrolled() from exc
    log.info("pilot enrolment partner=%s slot=%s", partner.slug, enrolment.slot)
    return enrolment
