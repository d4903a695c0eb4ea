"""ECO-14 voiding by an official; appeals (이의신청) once per rejection or void, threaded."""

from __future__ import annotations

import pytest

from mileage.core.errors import Forbidden
from mileage.core.models import AuditEntry, OutboxMessage
from mileage.readings import errors
from mileage.readings.models import AppealMessage, Reading
from mileage.readings.services import (
    add_message,
    decide_appeal,
    open_appeal,
    reject_reading,
    void_cycle,
)
from tests.factories import jung_citizen, jung_official, mapo_official
from tests.readings.support import (
    approved,
    enrolled,
    jpeg_bytes,
    stored_files,
    submit,
    today,
    upload,
)

pytestmark = pytest.mark.django_db


def rejected_initial():
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    return reject_reading(
        mapo_official(), reading, version=1, reason="plate_unreadable", note="번호판 흐림"
    )


def test_eco14_official_voids_a_cycle_with_a_reason_once(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    with pytest.raises(errors.BadDecision):
        void_cycle(mapo_official(), cycle, reason="altered", note="")
    with pytest.raises(errors.NotYourDistrict):
        void_cycle(jung_official(), cycle, reason="altered", note="조작")
    void_cycle(mapo_official(), cycle, reason="altered", note="계기판 사진 편집 흔적")
    cycle.refresh_from_db()
    assert cycle.voided_at is not None and cycle.void_reason == "altered"
    assert AuditEntry.objects.get(action="cycle.void").note == "계기판 사진 편집 흔적"
    assert OutboxMessage.objects.filter(kind="cycle.void").count() == 1
    with pytest.raises(errors.AlreadyVoided):
        void_cycle(mapo_official(), cycle, reason="late", note="again")


def test_appeal_against_a_rejection_is_threaded_and_accepting_approves(eco_settings) -> None:
    reading = rejected_initial()
    citizen = reading.vehicle.owner
    appeal = open_appeal(
        citizen,
        reading=reading,
        body="번호판이 잘 보이는 사진을 다시 첨부합니다.",
        photos=[upload(jpeg_bytes(55, taken=today()))],
    )
    assert appeal.messages.get().photos.count() == 1
    add_message(mapo_official(), appeal, body="사진 확인했습니다.")
    add_message(citizen, appeal, body="감사합니다.")
    assert [m.author for m in appeal.messages.all()] == [citizen, mapo_official(), citizen]
    decide_appeal(mapo_official(), appeal, accept=True, body="인용합니다.")
    reading.refresh_from_db()
    assert reading.status == "approved" and reading.vehicle.cycles.count() == 1
    assert appeal.messages.count() == 4
    with pytest.raises(errors.AppealClosed):
        add_message(citizen, appeal, body="추가")
    assert {"appeal.open", "appeal.accept"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_appeal_only_once_per_rejection(eco_settings) -> None:
    reading = rejected_initial()
    appeal = open_appeal(reading.vehicle.owner, reading=reading, body="다시 봐 주세요.")
    decide_appeal(mapo_official(), appeal, accept=False, body="기각합니다.")
    with pytest.raises(errors.AppealExists):
        open_appeal(reading.vehicle.owner, reading=reading, body="한 번 더")
    assert Reading.objects.get().status == "rejected"


def test_appeal_against_a_void_lifts_it_when_accepted(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = void_cycle(
        mapo_official(), vehicle.cycles.get(), reason="other_vehicle", note="다른 차량"
    )
    appeal = open_appeal(vehicle.owner, cycle=cycle, body="제 차량이 맞습니다.")
    decide_appeal(mapo_official(), appeal, accept=True, body="확인되어 무효를 취소합니다.")
    cycle.refresh_from_db()
    assert cycle.voided_at is None


def test_appeal_refused_for_an_approved_reading_or_someone_elses(eco_settings) -> None:
    vehicle = enrolled()
    reading = approved(submit(vehicle, "initial", 1000, today(), 1))
    with pytest.raises(errors.AppealNotAllowed):
        open_appeal(vehicle.owner, reading=reading, body="왜요")
    with pytest.raises(Forbidden):
        open_appeal(jung_citizen(), reading=reading, body="남의 것")


def test_other_district_official_cannot_write_in_the_thread(eco_settings) -> None:
    reading = rejected_initial()
    appeal = open_appeal(reading.vehicle.owner, reading=reading, body="다시 봐 주세요.")
    with pytest.raises(errors.NotYourDistrict):
        add_message(jung_official(), appeal, body="?")
    with pytest.raises(errors.NotYourDistrict):
        decide_appeal(jung_official(), appeal, accept=True, body="?")
    assert AppealMessage.objects.count() == 1


def test_appeal_with_a_bad_photo_leaves_nothing_behind(eco_settings) -> None:
    reading = rejected_initial()
    files = stored_files(eco_settings)
    with pytest.raises(errors.PhotoNotAnImage):
        open_appeal(
            reading.vehicle.owner, reading=reading, body="첨부", photos=[upload(b"hello" * 100)]
        )
    assert stored_files(eco_settings) == files
    assert not reading.vehicle.appeals.exists()


def test_accepting_an_appeal_after_a_newer_initial_was_approved_is_refused(eco_settings) -> None:
    reading = rejected_initial()
    appeal = open_appeal(reading.vehicle.owner, reading=reading, body="다시 봐 주세요.")
    approved(submit(reading.vehicle, "initial", 52000, today(), 8))
    with pytest.raises(errors.AlreadyDecided) as told:
        decide_appeal(mapo_official(), appeal, accept=True, body="인용")
    assert "이미 다른 등록이 승인" in told.value.message
    reading.refresh_from_db()
    appeal.refresh_from_db()
    assert reading.status == "rejected" and appeal.status == "open"
    assert reading.vehicle.cycles.count() == 1
