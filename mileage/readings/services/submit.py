"""Submitting readings (주행거리 등록): photos checked and stored, dates checked, flags set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.accounts import scope
from mileage.core import audit
from mileage.core.errors import Forbidden
from mileage.core.text import korean_date
from mileage.rules.eco.eligibility import initial_reading_late, photo_too_old
from mileage.vehicles import services as vehicle_services
from mileage.vehicles.models import Status, Vehicle

from .. import errors, policy
from ..flags import compute_flags
from ..models import Channel, Event, Photo, Reading, ReadingFlag, ReadingStatus
from ..photos import (
    CheckedPhoto,
    check_photo,
    discard,
    phash_bands,
    read_upload,
    write_incoming,
    write_once,
)
from . import state

MAX_KM = 3_000_000
Upload = BinaryIO | CheckedPhoto | None


@dataclass
class Plan:
    cycle_no: int | None = None
    warnings: list[str] = field(default_factory=list)
    flags: list[tuple[str, str]] = field(default_factory=list)


def parse_km(raw: Any) -> int:
    try:
        km = int(str(raw).replace(",", "").strip())
    except (TypeError, ValueError) as exc:
        raise errors.BadKm() from exc
    if km < 0 or km > MAX_KM:
        raise errors.BadKm()
    return km


def _checked(upload: Upload) -> CheckedPhoto:
    if upload is None:
        raise errors.PhotoMissing()
    return upload if isinstance(upload, CheckedPhoto) else check_photo(upload)


def _plan(vehicle: Vehicle, event: str, today: dt.date) -> Plan:
    """Which event this vehicle may take now (ECO-2, ECO-5, ECO-11, ECO-13, ECO-17)."""
    plan = Plan()
    active = vehicle.status == Status.ACTIVE
    if event == Event.INITIAL:
        if not active or vehicle.previous_id or state.approved_initial(vehicle):
            raise errors.WrongEvent("이미 최초 등록이 승인된 차량입니다.")
        registered_on = timezone.localdate(vehicle.enrolled_at)
        if initial_reading_late(registered_on, today, policy.parameters()):  # ECO-2: a warning
            days = policy.initial_recommended_days(registered_on)
            text = f"차량 등록 후 {days}일 이내 최초 등록을 권고합니다. 늦은 등록도 접수됩니다."
            plan.warnings.append(text)
            plan.flags.append((ReadingFlag.Code.LATE_INITIAL, f"차량 등록일 {registered_on}"))
    elif event == Event.ANNUAL:
        cycle = state.open_cycle(vehicle) if active else None
        if cycle is None:
            raise errors.WrongEvent("최초 등록이 승인된 뒤에 연간 실적을 등록할 수 있습니다.")
        if today < cycle.window_opens_on:  # ECO-5: before A, refused
            raise errors.WindowNotOpen(
                f"연간 실적 등록 기간은 {korean_date(cycle.window_opens_on)} ~ {korean_date(cycle.window_closes_on)}입니다."
            )
        if today > cycle.window_closes_on:  # ECO-5 / E-3: late voids the cycle, starts the next
            plan.warnings.append(
                f"등록 기간({cycle.window_closes_on}까지)이 지나 이번 주기는 무효가 됩니다(ECO-5). "
                "다음 주기는 이 등록부터 시작됩니다."
            )
            plan.flags.append((ReadingFlag.Code.LATE_ANNUAL, f"기간 종료 {cycle.window_closes_on}"))
        plan.cycle_no = cycle.number
    elif event == Event.END:
        if vehicle.status != Status.ENDED or _has_approved(vehicle, event):
            raise errors.WrongEvent("참여 종료 신청을 먼저 해 주세요.")
    elif event == Event.CHANGE_OUT:
        if vehicle.status != Status.CHANGED or _has_approved(vehicle, event):
            raise errors.WrongEvent("차량 변경 신청을 먼저 해 주세요.")
    elif event == Event.CHANGE_IN:
        if not active or not vehicle.previous_id or _has_approved(vehicle, event):
            raise errors.WrongEvent("차량 변경으로 등록된 새 차량이 아닙니다.")
    elif event in (Event.SEASON_START, Event.SEASON_END):
        if not active or state.open_cycle(vehicle) is None:
            raise errors.WrongEvent("최초 등록이 승인된 차량만 계절관리제에 참여할 수 있습니다.")
        first, last = policy.seasonal_windows(today)[event]
        if not first <= today <= last:  # ECO-17
            raise errors.WindowNotOpen(f"{Event(event).label} 등록 기간은 {first} ~ {last}입니다.")
    else:
        raise errors.WrongEvent()
    return plan


def _has_approved(vehicle: Vehicle, event: str) -> bool:
    return vehicle.readings.filter(event=event, status=ReadingStatus.APPROVED).exists()


def _check_dates(vehicle: Vehicle, photos: list[CheckedPhoto], today: dt.date) -> dt.date | None:
    """ECO-4 on every capture date; returns the reading's capture date (C-1: the dashboard's,
    else the plate's). [interp] C-1: the dashboard photo shows the odometer, so it dates it."""
    max_age = policy.photo_max_age_days(today)
    for photo in photos:
        taken_on = photo.taken_on
        if taken_on is None:
            continue
        if taken_on > today:
            raise errors.PhotoFromFuture()
        if photo_too_old(taken_on, today, policy.parameters()):
            raise errors.PhotoTooOld(
                f"등록일 기준 {max_age}일보다 먼저 촬영된 사진은 등록할 수 없습니다 (촬영일 {taken_on})."
            )
    taken_on = photos[1].taken_on or photos[0].taken_on
    before = state.last_approved_in_chain(vehicle)
    if before is not None and (taken_on or today) < before.effective_on:
        raise errors.PhotoBeforePrevious(
            f"사진 촬영일이 이전에 승인된 등록({before.effective_on})보다 앞섭니다."
        )
    return taken_on


def _store_photo(checked: CheckedPhoto, written: list[str]) -> Photo:
    name = write_once(checked, written)
    taken_at = checked.taken_at
    if taken_at is not None and timezone.is_naive(taken_at):
        taken_at = timezone.make_aware(taken_at)  # phones record local (Seoul) time
    b0, b1, b2, b3 = phash_bands(checked.phash)
    photo, _ = Photo.objects.get_or_create(
        sha256=checked.sha256,
        defaults=dict(
            original_sha256=checked.original_sha256,
            phash=checked.phash,
            band0=b0,
            band1=b1,
            band2=b2,
            band3=b3,
            file=name,
            source_format=checked.source_format,
            width=checked.width,
            height=checked.height,
            size_bytes=len(checked.content),
            taken_at=taken_at,
        ),
    )
    return photo


def _authorise(actor: Any, vehicle: Vehicle) -> str:
    if scope.is_citizen(actor) and actor.pk == vehicle.owner_id:
        return Channel.ONLINE
    if scope.is_official(actor):
        vehicle_services.check_walk_in_allowed(actor, vehicle.district)
        return Channel.WALK_IN
    raise Forbidden()


def submit_reading(
    actor: Any,
    vehicle: Vehicle,
    *,
    event: str,
    km: Any,
    plate_photo: Upload,
    dashboard_photo: Upload,
    today: dt.date | None = None,
    written: list[str] | None = None,
    partner_plan: Plan | None = None,
    defer_checks: bool = False,
) -> Reading:
    """C-1/ECO-2..5/ECO-17: check and store one reading for review. Nothing is written when any
    check fails: neither a row nor a file.

    `partner_plan`: extension point for programmes run through partners (PILOT-3, mileage.pilot):
    the partner's service account submits for the member, the programme has checked who may
    submit which event and its deadlines, and passes its warnings here; the photo checks,
    storage, flags and district review are the same as for everyone."""
    today = today or timezone.localdate()
    if partner_plan is None:
        channel = _authorise(actor, vehicle)
    else:
        if not scope.is_partner_user(actor):
            raise Forbidden()
        channel = Channel.API
    km_value = parse_km(km)
    plan = _plan(vehicle, event, today) if partner_plan is None else partner_plan
    pending = (ReadingStatus.SUBMITTED, ReadingStatus.CHECKING)
    if Reading.objects.filter(vehicle=vehicle, event=event, status__in=pending).exists():
        raise errors.AlreadyPending()
    if defer_checks and written is None:
        return _submit_unchecked(
            actor, vehicle, event, km_value, plan, channel, today, (plate_photo, dashboard_photo)
        )
    photos = [_checked(plate_photo), _checked(dashboard_photo)]
    taken_on = _check_dates(vehicle, photos, today)
    if channel == Channel.WALK_IN:
        plan.flags.append((ReadingFlag.Code.WALK_IN, f"입력: {actor}"))
    own_files = written is None
    files: list[str] = [] if written is None else written
    try:
        with transaction.atomic():
            plate, dashboard = (_store_photo(p, files) for p in photos)
            reading = Reading.objects.create(
                vehicle=vehicle,
                event=event,
                km=km_value,
                km_submitted=km_value,
                plate_photo=plate,
                dashboard_photo=dashboard,
                taken_on=taken_on,
                uploaded_on=today,
                cycle_no=plan.cycle_no,
                submitted_by=actor,
                channel=channel,
                warnings=plan.warnings,
            )
            compute_flags(reading, plan.flags)
            audit.record(
                actor,
                "reading.submit",
                vehicle,
                reading=reading,
                data={"km": km_value, "event": event},
            )
    except IntegrityError as exc:
        if own_files:
            discard(files)
        raise errors.AlreadyPending() from exc
    except BaseException:
        if own_files:
            discard(files)
        raise
    return reading


def _submit_unchecked(
    actor: Any,
    vehicle: Vehicle,
    event: str,
    km_value: int,
    plan: Plan,
    channel: str,
    today: dt.date,
    uploads: tuple[Upload, Upload],
) -> Reading:
    """The reading as CHECKING with the photos as sent (size limit only); the checks follow on a
    worker after the commit (`checks.check_pending_photos`). Nothing is left when this fails."""
    from .checks import queue_photo_check

    raw = [read_upload(u) if not isinstance(u, CheckedPhoto) else u.content for u in uploads]
    if channel == Channel.WALK_IN:
        plan.flags.append((ReadingFlag.Code.WALK_IN, f"입력: {actor}"))
    files: list[str] = []
    try:
        with transaction.atomic():
            names = [write_incoming(data, files) for data in raw]
            reading = Reading.objects.create(
                vehicle=vehicle,
                event=event,
                km=km_value,
                km_submitted=km_value,
                uploaded_on=today,
                cycle_no=plan.cycle_no,
                submitted_by=actor,
                channel=channel,
                warnings=plan.warnings,
                status=ReadingStatus.CHECKING,
                incoming=names,
            )
            ReadingFlag.objects.bulk_create(
                ReadingFlag(reading=reading, code=code, detail=detail)
                for code, detail in plan.flags
            )
            audit.record(
                actor,
                "reading.submit",
                vehicle,
                reading=reading,
                data={"km": km_value, "event": event},
            )
            transaction.on_commit(lambda: queue_photo_check(reading.pk))
    except IntegrityError as exc:
        discard(files)
        raise errors.AlreadyPending() from exc
    except BaseException:
        discard(files)
        raise
    return reading


def _participation_start(vehicle: Vehicle) -> dt.date:
    """ECO-11: the day participation began: the first reading's date, or the enrolment day when
    there is no reading yet."""
    first = Reading.objects.filter(vehicle=vehicle).order_by("uploaded_on", "pk").first()
    if first is not None:
        return min(first.effective_on, first.uploaded_on)
    return timezone.localtime(vehicle.enrolled_at).date()


def end_participation(
    actor: Any,
    vehicle: Vehicle,
    *,
    reason: str,
    ended_on: dt.date,
    km: Any,
    plate_photo: Upload,
    dashboard_photo: Upload,
    today: dt.date | None = None,
) -> Reading:
    """ECO-11: an early end (명의이전 / 말소) with its date and the reading at the end."""
    today = today or timezone.localdate()
    if ended_on is None or ended_on > today:
        raise vehicle_services.errors.BadEnd("참여 종료일은 오늘이나 그 이전이어야 합니다.")
    _authorise(actor, vehicle)
    earliest = _participation_start(vehicle)
    if ended_on < earliest:  # issue #13, finding 6: an end on 0001-01-01 was stored
        raise vehicle_services.errors.BadEnd(
            f"참여 종료일은 참여를 시작한 날({earliest:%Y년 %m월 %d일}) 이후여야 합니다."
        )
    photos = [_checked(plate_photo), _checked(dashboard_photo)]
    files: list[str] = []
    try:
        with transaction.atomic():
            vehicle_services.mark_ended(vehicle, actor, reason, ended_on)
            return submit_reading(
                actor,
                vehicle,
                event=Event.END,
                km=km,
                plate_photo=photos[0],
                dashboard_photo=photos[1],
                today=today,
                written=files,
            )
    except BaseException:
        discard(files)
        raise


def change_vehicle(
    actor: Any,
    old: Vehicle,
    *,
    new_plate: str,
    out_km: Any,
    out_photos: tuple[Upload, Upload],
    in_km: Any,
    in_photos: tuple[Upload, Upload],
    today: dt.date | None = None,
) -> Vehicle:
    """ECO-13: the old vehicle's final reading and the new vehicle's first reading; the new
    vehicle continues the participation (its km are added to the cycle's)."""
    today = today or timezone.localdate()
    _authorise(actor, old)
    if state.open_cycle(old) is None:
        raise errors.WrongEvent("최초 등록이 승인된 차량만 차량 변경을 할 수 있습니다.")
    checked_out = [_checked(p) for p in out_photos]
    checked_in = [_checked(p) for p in in_photos]
    files: list[str] = []
    try:
        with transaction.atomic():
            vehicle_services.mark_changed(old, actor, today)
            new = vehicle_services.register_vehicle(old.owner, new_plate, actor=actor, previous=old)
            submit_reading(
                actor,
                old,
                event=Event.CHANGE_OUT,
                km=out_km,
                plate_photo=checked_out[0],
                dashboard_photo=checked_out[1],
                today=today,
                written=files,
            )
            submit_reading(
                actor,
                new,
                event=Event.CHANGE_IN,
                km=in_km,
                plate_photo=checked_in[0],
                dashboard_photo=checked_in[1],
                today=today,
                written=files,
            )
    except BaseException:
        discard(files)
        raise
    return new
