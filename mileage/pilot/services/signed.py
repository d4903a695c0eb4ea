"""Signed partner readings: an insurer's OBD (PILOT-3) or a carmaker's telematics (ECO-18).

One API for both: the partner signs (key id, plate, km, device id, timestamp) with HMAC-SHA256
(`mileage.partners.signing`); a reading whose signature does not verify is refused whole and
logged with the partner and key id (never the secret). The device's timestamp is the effective
date (ECO-18); there is no photo review.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.partners import signing
from mileage.partners.models import Partner
from mileage.readings.services.connected import CONNECTED_EVENTS, record_connected_reading
from mileage.vehicles.models import Vehicle
from mileage.vehicles.registry import normalise_plate

from .. import crypto, errors
from ..actors import partner_actor
from ..models import (
    Consent,
    Enrolment,
    Method,
    PartnerReading,
    Purpose,
    ReadingEvent,
    SigningKey,
    Status,
)
from . import readings as pilot_readings

log = logging.getLogger(__name__)

CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class SignedReading:
    key_id: str
    plate: str
    km: int
    device_id: str
    timestamp: str  # ISO 8601 with a UTC offset, exactly as signed
    signature: str
    event: str
    changed_on: dt.date | None = None
    new_plate: str = ""


def issue_signing_key(partner: Partner) -> tuple[SigningKey, str]:
    """A new signing secret for a partner; the clear secret is returned once, stored encrypted."""
    secret = signing.new_secret()
    key = SigningKey.objects.create(
        partner=partner,
        key_id=f"sk_{partner.slug}_{signing.new_secret()[:8]}",
        secret_encrypted=crypto.encrypt(secret),
    )
    return key, secret


def _verified_key(partner: Partner, data: SignedReading) -> SigningKey:
    key = SigningKey.objects.filter(
        key_id=data.key_id, partner=partner, revoked_at__isnull=True
    ).first()
    if key is None:
        log.warning(
            "signed reading refused: unknown key partner=%s key=%s", partner.slug, data.key_id
        )
        raise errors.UnknownSigningKey()
    try:
        message = signing.canonical_message(
            key_id=data.key_id,
            vehicle_ref=data.plate,
            odometer_km=data.km,
            device_id=data.device_id,
            timestamp=data.timestamp,
        )
    except ValueError as exc:  # a newline in a signed field (issue #13, finding 5)
        raise errors.BadSignature() from exc
    if not signing.verify(crypto.reveal(key.secret_encrypted), message, data.signature):
        log.warning(
            "signed reading refused: bad signature partner=%s key=%s", partner.slug, data.key_id
        )
        raise errors.BadSignature()
    return key


def _measured_at(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise errors.BadTimestamp() from exc
    if value.tzinfo is None or value > timezone.now() + CLOCK_SKEW:
        raise errors.BadTimestamp()
    return value


def receive(partner: Partner, data: SignedReading) -> tuple[PartnerReading, str]:
    """Verify and store one signed reading; returns it and a Korean message for the partner.

    Routing: the partner's own active OBD enrolment for the plate (pilot, PILOT-3 deadlines on
    the measurement date), else the member's connected-car consent to this partner (ECO-18).
    The same (partner, device, timestamp) sent again returns the stored reading.
    """
    key = _verified_key(partner, data)
    measured_at = _measured_at(data.timestamp)
    measured_on = timezone.localdate(measured_at)
    plate = normalise_plate(data.plate)
    existing = PartnerReading.objects.filter(
        partner=partner, device_id=data.device_id, measured_at=measured_at
    ).first()
    if existing is not None:
        if existing.km != data.km or existing.vehicle.plate != plate:
            raise errors.ReadingOutOfOrder(
                "같은 단말기·시각의 다른 주행거리가 이미 접수되었습니다."
            )
        return existing, "이미 접수된 주행거리 정보입니다."
    actor = partner_actor(partner)
    enrolment = (
        Enrolment.objects.filter(partner=partner, method=Method.OBD, obd_device_id=data.device_id)
        .order_by("-id")
        .first()
    )
    if enrolment is not None:
        return _pilot(enrolment, key, plate, data, measured_at, measured_on, actor)
    vehicle = Vehicle.objects.filter(plate=plate).order_by("-id").first()
    if vehicle is None:
        raise errors.VehicleNotFound()
    consent = Consent.objects.filter(
        partner=partner, vehicle=vehicle, purpose=Purpose.CONNECTED_CAR, withdrawn_at__isnull=True
    ).first()
    if consent is None:
        raise errors.NoConsent()
    if data.event not in CONNECTED_EVENTS:
        raise errors.ReadingOutOfOrder(
            "커넥티드카 주행거리 구분은 initial, annual, season-start, season-end 입니다."
        )
    with transaction.atomic():
        row = _store(partner, key, vehicle, Method.CONNECTED, data, measured_at)
        # ECO-18: an approved eco-mileage reading, no photo review; it opens/closes the cycle.
        row.reading = record_connected_reading(
            actor,
            vehicle,
            event=data.event,
            km=data.km,
            measured_on=measured_on,
            evidence={
                "partner": partner.slug,
                "key_id": key.key_id,
                "device_id": data.device_id,
                "timestamp": data.timestamp,
                "signature": row.signature,
            },
        )
        row.save(update_fields=["reading"])
    return row, "커넥티드카 주행거리 정보가 승인되었습니다 (사진 심사 없음, ECO-18)."


def _store(
    partner: Partner,
    key: SigningKey,
    vehicle: Vehicle,
    method: str,
    data: SignedReading,
    measured_at: dt.datetime,
) -> PartnerReading:
    try:
        with transaction.atomic():
            return PartnerReading.objects.create(
                partner=partner,
                signing_key=key,
                vehicle=vehicle,
                method=method,
                event=data.event,
                km=data.km,
                device_id=data.device_id,
                measured_at=measured_at,
                timestamp_text=data.timestamp,
                signature=data.signature.lower(),
            )
    except IntegrityError as exc:
        raise errors.ReadingOutOfOrder(
            "같은 단말기·시각의 주행거리가 이미 접수되었습니다."
        ) from exc


def _pilot(
    enrolment: Enrolment,
    key: SigningKey,
    plate: str,
    data: SignedReading,
    measured_at: dt.datetime,
    measured_on: dt.date,
    actor: object,
) -> tuple[PartnerReading, str]:
    """PILOT-3 OBD: the enrolment is found by its device; the measurement date stands for the
    transmission date [interp]: the device sends what it measures, so nobody can hold a reading
    back to meet a limit. A change-in signed for a new plate is a vehicle replacement (PILOT-9)."""
    if enrolment.status != Status.ACTIVE:
        raise errors.EnrolmentClosed()
    vehicle = pilot_readings.current_vehicle(enrolment)
    if plate != vehicle.plate and data.event != ReadingEvent.CHANGE_IN:
        raise errors.ReadingOutOfOrder("이 OBD 단말기가 등록된 차량의 번호가 아닙니다.")
    verdict = pilot_readings.check_deadline(
        enrolment,
        data.event,
        measured_on,
        changed_on=data.changed_on,
        partner=enrolment.partner,
        actor=actor,
    )
    with transaction.atomic():
        target = vehicle
        if data.event == ReadingEvent.CHANGE_IN:
            target = pilot_readings.replacement_vehicle(
                enrolment, vehicle, plate, data.changed_on or measured_on, actor
            )
        pilot_readings.check_order(enrolment, data.event, target, data.km)
        row = _store(enrolment.partner, key, target, Method.OBD, data, measured_at)
        pilot_readings.record(
            enrolment,
            event=data.event,
            vehicle=target,
            km=data.km,
            uploaded_on=measured_on,
            verdict=verdict,
            partner_reading=row,
            actor=actor,
        )
    return row, verdict.message
