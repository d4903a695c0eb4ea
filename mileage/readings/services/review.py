"""District review (ECO-3): approve (optionally correcting km) or reject; void a cycle (ECO-14).

Two officials may act on one reading at once: the decision is a conditional update on
(status = submitted, version = the version the official saw), so exactly one wins and the
other gets `AlreadyDecided` (409).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.accounts import scope
from mileage.core import audit
from mileage.core.notify import get_notifier
from mileage.core.text import korean_date

from .. import errors, policy
from ..models import Channel, Cycle, Event, Reading, ReadingStatus, RejectReason, VoidReason
from . import state
from .submit import parse_km


def check_reviewer(official: Any, vehicle: Any) -> None:
    """ECO-3: only an official of the vehicle's district decides."""
    if not scope.is_official(official) or official.district_id != vehicle.district_id:
        raise errors.NotYourDistrict()


def _decide(reading: Reading, version: int, **changes: Any) -> None:
    updated = Reading.objects.filter(
        pk=reading.pk, status=ReadingStatus.SUBMITTED, version=version
    ).update(version=version + 1, reviewed_at=timezone.now(), **changes)
    if updated != 1:
        raise errors.AlreadyDecided()
    reading.refresh_from_db()


def open_next_cycle(reading: Reading) -> None:
    """Cycle bookkeeping after an approval: the initial reading opens cycle 1 (ECO-3, ECO-5);
    the k-th annual reading closes cycle k and opens k+1; an end reading closes the cycle
    (ECO-11). Window dates come from the rules engine."""
    if reading.channel == Channel.API and scope.is_partner_user(reading.submitted_by):
        return  # a programme run through partners keeps its own periods (PILOT-3, mileage.pilot)
    vehicle = reading.vehicle
    root = state.chain(vehicle)[0]
    if reading.event == Event.INITIAL:
        opens_on, closes_on = policy.annual_window(reading.uploaded_on, 1)
        Cycle.objects.create(
            vehicle=root,
            number=1,
            start_reading=reading,
            window_opens_on=opens_on,
            window_closes_on=closes_on,
        )
    elif reading.event in (Event.ANNUAL, Event.END):
        cycle = state.open_cycle(vehicle)
        if cycle is None:
            return
        cycle.end_reading = reading
        cycle.save(update_fields=["end_reading"])
        if reading.event == Event.ANNUAL:
            initial = state.approved_initial(vehicle)
            assert initial is not None
            opens_on, closes_on = policy.annual_window(initial.uploaded_on, cycle.number + 1)
            Cycle.objects.create(
                vehicle=root,
                number=cycle.number + 1,
                start_reading=reading,
                window_opens_on=opens_on,
                window_closes_on=closes_on,
            )


def _subject(reading: Reading, verb: str) -> str:
    """A notice's subject in Korean, named after the reading's programme."""
    partner = reading.channel == Channel.API and scope.is_partner_user(reading.submitted_by)
    programme = "승용차 마일리지" if partner else "에코마일리지"
    return f"[{programme}] {reading.vehicle.plate} {reading.event_label} {verb}"


def _tell(reading: Reading, subject: str, body: str, key: str) -> None:
    get_notifier().send(
        reading.vehicle.owner, kind="reading.decision", subject=subject, body=body, key=key
    )


def approve_reading(
    official: Any, reading: Reading, *, version: int, corrected_km: Any = None, note: str = ""
) -> Reading:
    """ECO-3: approve, optionally with the odometer value the official read on the photo."""
    check_reviewer(official, reading.vehicle)
    km = reading.km if corrected_km in (None, "") else parse_km(corrected_km)
    with transaction.atomic():
        _decide(
            reading,
            version,
            status=ReadingStatus.APPROVED,
            reviewed_by=official,
            km=km,
            review_note=note,
        )
        open_next_cycle(reading)
        audit.record(
            official,
            "reading.approve",
            reading.vehicle,
            reading=reading,
            note=note,
            data={
                "km": km,
                "km_submitted": reading.km_submitted,
                "corrected": km != reading.km_submitted,
            },
        )
        corrected = (
            f" 주행거리는 사진에 따라 {km:,} km로 정정되었습니다."
            if km != reading.km_submitted
            else ""
        )
        _tell(
            reading,
            _subject(reading, "승인"),
            f"{korean_date(reading.uploaded_on)} 등록하신 주행거리가 승인되었습니다.{corrected}",
            f"reading:{reading.pk}:decision",
        )
    return reading


def reject_reading(
    official: Any, reading: Reading, *, version: int, reason: str, note: str = ""
) -> Reading:
    """ECO-3: reject with a reason from the list plus free text; the citizen may upload again."""
    check_reviewer(official, reading.vehicle)
    if reason not in RejectReason.values or (reason == RejectReason.OTHER and not note.strip()):
        raise errors.BadDecision("반려 사유를 목록에서 고르고, '기타'이면 내용을 적어 주세요.")
    with transaction.atomic():
        _decide(
            reading,
            version,
            status=ReadingStatus.REJECTED,
            reviewed_by=official,
            reject_reason=reason,
            review_note=note,
        )
        audit.record(
            official, "reading.reject", reading.vehicle, reading=reading, reason=reason, note=note
        )
        _tell(
            reading,
            _subject(reading, "반려"),
            f"반려 사유: {RejectReason(reason).label}. {note}\n사진을 다시 올리거나 이의신청을 할 수 있습니다.",
            f"reading:{reading.pk}:decision",
        )
    return reading


def void_cycle(official: Any, cycle: Cycle, *, reason: str, note: str = "") -> Cycle:
    """ECO-14: an official marks a cycle void (무효) with a reason; it earns nothing."""
    check_reviewer(official, cycle.vehicle)
    if reason not in VoidReason.values or not note.strip():
        raise errors.BadDecision("무효 사유를 고르고 내용을 적어 주세요.")
    with transaction.atomic():
        updated = Cycle.objects.filter(pk=cycle.pk, voided_at__isnull=True).update(
            voided_at=timezone.now(), voided_by=official, void_reason=reason, void_note=note
        )
        if updated != 1:
            raise errors.AlreadyVoided()
        cycle.refresh_from_db()
        audit.record(official, "cycle.void", cycle.vehicle, cycle=cycle, reason=reason, note=note)
        get_notifier().send(
            cycle.vehicle.owner,
            kind="cycle.void",
            subject=f"[에코마일리지] {cycle.vehicle.plate} {cycle.number}차 평가 주기 무효",
            body=f"무효 사유: {VoidReason(reason).label}. {note}\n이의신청을 할 수 있습니다.",
            key=f"cycle:{cycle.pk}:void",
        )
    return cycle
