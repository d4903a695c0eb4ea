"""ECO-3 district review: approve (with km correction), reject with a reason, scope, audit,
notification; two officials at once: exactly one decision wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from mileage.core.models import AuditEntry, OutboxMessage
from mileage.readings import errors
from mileage.readings.models import Reading
from mileage.readings.services import approve_reading, reject_reading
from tests.factories import city_manager, jung_official, mapo_centre_official, mapo_official
from tests.readings.support import enrolled, submit, today

pytestmark = pytest.mark.django_db


def test_eco3_district_official_approves_and_participation_starts(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    approve_reading(mapo_official(), reading, version=reading.version, note="확인")
    reading.refresh_from_db()
    assert reading.status == "approved" and reading.reviewed_by == mapo_official()
    cycle = reading.vehicle.cycles.get()
    assert cycle.number == 1 and cycle.start_reading == reading
    entry = AuditEntry.objects.get(action="reading.approve")
    assert (entry.actor, entry.subject, entry.note) == (mapo_official(), reading.vehicle, "확인")
    assert entry.refs == {"reading": reading.pk}
    message = OutboxMessage.objects.get(user=reading.vehicle.owner)
    assert "승인" in message.subject


def test_eco3_community_centre_official_of_the_district_may_approve(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    assert approve_reading(mapo_centre_official(), reading, version=1).status == "approved"


def test_eco3_approval_may_correct_the_km_read_from_the_photo(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    approve_reading(mapo_official(), reading, version=1, corrected_km="52,080")
    reading.refresh_from_db()
    assert (reading.km, reading.km_submitted) == (52080, 52000)
    assert AuditEntry.objects.get(action="reading.approve").data["corrected"] is True
    assert "52,080 km로 정정" in OutboxMessage.objects.get().body


def test_eco3_reject_needs_a_listed_reason_and_the_citizen_may_upload_again(eco_settings) -> None:
    vehicle = enrolled()
    reading = submit(vehicle, "initial", 52000, today(), 1)
    with pytest.raises(errors.BadDecision):
        reject_reading(mapo_official(), reading, version=1, reason="because")
    with pytest.raises(errors.BadDecision):
        reject_reading(mapo_official(), reading, version=1, reason="other", note=" ")
    reject_reading(mapo_official(), reading, version=1, reason="dashboard_unreadable", note="흐림")
    reading.refresh_from_db()
    assert reading.status == "rejected" and reading.reject_reason == "dashboard_unreadable"
    assert "계기판" in OutboxMessage.objects.get().body
    again = submit(vehicle, "initial", 52000, today(), 7)
    assert again.status == "submitted"


@pytest.mark.parametrize("who", [jung_official, city_manager])
def test_eco3_official_of_another_district_and_the_city_cannot_decide(eco_settings, who) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    with pytest.raises(errors.NotYourDistrict):
        approve_reading(who(), reading, version=1)
    with pytest.raises(errors.NotYourDistrict):
        reject_reading(who(), reading, version=1, reason="km_mismatch")
    assert Reading.objects.get().status == "submitted"


def test_eco3_a_decision_on_a_stale_version_is_refused_and_the_first_stands(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    seen_by_second = Reading.objects.get(pk=reading.pk)
    approve_reading(mapo_official(), reading, version=1)
    with pytest.raises(errors.AlreadyDecided) as told:
        reject_reading(
            mapo_centre_official(),
            seen_by_second,
            version=seen_by_second.version,
            reason="km_mismatch",
        )
    assert "다른 담당자가 먼저" in told.value.message
    assert Reading.objects.get().status == "approved"
    assert (
        AuditEntry.objects.filter(action__startswith="reading.")
        .values_list("action", flat=True)
        .count()
        == 2
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eco3_two_officials_decide_at_the_same_moment_exactly_one_wins(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1)
    officials = [mapo_official(), mapo_centre_official()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(index: int) -> None:
        mine = Reading.objects.get(pk=reading.pk)
        try:
            barrier.wait()
            if index == 0:
                approve_reading(officials[0], mine, version=mine.version)
                outcomes.append("approved")
            else:
                reject_reading(officials[1], mine, version=mine.version, reason="km_mismatch")
                outcomes.append("rejected")
        except errors.AlreadyDecided:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("told") == 1
    final = Reading.objects.get(pk=reading.pk)
    assert final.status in ("approved", "rejected") and final.version == 2
    assert reading.vehicle.cycles.count() == (1 if final.status == "approved" else 0)
    assert AuditEntry.objects.filter(action__in=["reading.approve", "reading.reject"]).count() == 1
