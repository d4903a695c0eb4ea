"""Appeals (이의신청): once per rejection or void, a thread between citizen and district."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.accounts import scope
from mileage.core import audit
from mileage.core.errors import Forbidden
from mileage.core.notify import get_notifier

from .. import errors
from ..models import Appeal, AppealMessage, AppealStatus, Cycle, Reading, ReadingStatus
from ..photos import check_photo, discard
from .review import check_reviewer, open_next_cycle
from .submit import _store_photo


def _post(appeal: Appeal, author: Any, body: str, uploads: Sequence[BinaryIO]) -> AppealMessage:
    if not body.strip():
        raise errors.BadDecision("내용을 적어 주세요.")
    checked = [check_photo(u) for u in uploads if u is not None]
    files: list[str] = []
    try:
        with transaction.atomic():
            message = AppealMessage.objects.create(appeal=appeal, author=author, body=body.strip())
            message.photos.set([_store_photo(c, files) for c in checked])
    except BaseException:
        discard(files)
        raise
    return message


def open_appeal(
    citizen: Any,
    *,
    reading: Reading | None = None,
    cycle: Cycle | None = None,
    body: str,
    photos: Sequence[BinaryIO] = (),
) -> Appeal:
    """Contest a rejected reading or a voided cycle, once, with a message and new photos."""
    target_vehicle = reading.vehicle if reading is not None else cycle.vehicle if cycle else None
    if (
        target_vehicle is None
        or not scope.is_citizen(citizen)
        or citizen.pk != target_vehicle.owner_id
    ):
        raise Forbidden()
    if reading is not None and reading.status != ReadingStatus.REJECTED:
        raise errors.AppealNotAllowed()
    if cycle is not None and cycle.voided_at is None:
        raise errors.AppealNotAllowed()
    if (
        Appeal.objects.filter(reading=reading).exists()
        if reading
        else Appeal.objects.filter(cycle=cycle).exists()
    ):
        raise errors.AppealExists()
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                citizen=citizen, vehicle=target_vehicle, reading=reading, cycle=cycle
            )
            _post(appeal, citizen, body, photos)
            audit.record(
                citizen, "appeal.open", target_vehicle, reading=reading, cycle=cycle, note=body
            )
    except IntegrityError as exc:
        raise errors.AppealExists() from exc
    return appeal


def add_message(
    user: Any, appeal: Appeal, *, body: str, photos: Sequence[BinaryIO] = ()
) -> AppealMessage:
    """Either side writes in the thread while the appeal is open."""
    if scope.is_official(user):
        check_reviewer(user, appeal.vehicle)
    elif not (scope.is_citizen(user) and user.pk == appeal.citizen_id):
        raise Forbidden()
    if appeal.status != AppealStatus.OPEN:
        raise errors.AppealClosed()
    message = _post(appeal, user, body, photos)
    if user.pk != appeal.citizen_id:
        get_notifier().send(
            appeal.citizen,
            kind="appeal.message",
            subject="[에코마일리지] 이의신청 답변",
            body=body,
            key=f"appeal-message:{message.pk}",
        )
    return message


def _approve_on_appeal(official: Any, reading: Reading) -> None:
    """Accepting an appeal approves the rejected reading, unless the citizen's later upload of
    the same event was approved meanwhile (then the database's one-initial rule refuses)."""
    try:
        with transaction.atomic():
            changed = Reading.objects.filter(pk=reading.pk, status=ReadingStatus.REJECTED).update(
                status=ReadingStatus.APPROVED,
                reviewed_by=official,
                reviewed_at=timezone.now(),
                version=reading.version + 1,
            )
            if changed != 1:
                raise errors.AlreadyDecided()
            reading.refresh_from_db()
            open_next_cycle(reading)
    except IntegrityError as exc:
        raise errors.AlreadyDecided(
            "이미 다른 등록이 승인되어 이 등록을 승인할 수 없습니다."
        ) from exc


def decide_appeal(official: Any, appeal: Appeal, *, accept: bool, body: str) -> Appeal:
    """The district answers: accepting approves the rejected reading or lifts the void."""
    check_reviewer(official, appeal.vehicle)
    with transaction.atomic():
        updated = Appeal.objects.filter(pk=appeal.pk, status=AppealStatus.OPEN).update(
            status=AppealStatus.ACCEPTED if accept else AppealStatus.DISMISSED,
            decided_at=timezone.now(),
        )
        if updated != 1:
            raise errors.AppealClosed()
        appeal.refresh_from_db()
        AppealMessage.objects.create(appeal=appeal, author=official, body=body.strip() or "-")
        if accept and appeal.reading_id:
            _approve_on_appeal(official, appeal.reading)
        if accept and appeal.cycle_id:
            Cycle.objects.filter(pk=appeal.cycle_id).update(
                voided_at=None, voided_by=None, void_reason="", void_note=""
            )
        audit.record(
            official,
            "appeal.accept" if accept else "appeal.dismiss",
            appeal.vehicle,
            reading=appeal.reading,
            cycle=appeal.cycle,
            note=body,
        )
        get_notifier().send(
            appeal.citizen,
            kind="appeal.decision",
            subject=f"[에코마일리지] 이의신청 {'인용' if accept else '기각'}",
            body=body,
            key=f"appeal:{appeal.pk}:decision",
        )
    return appeal
