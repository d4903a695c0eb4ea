"""Submitting readings: C-1 effective date, ECO-2 warning, ECO-4 refusals, ECO-5 window, and a
refused upload leaves no file and no row behind."""

from __future__ import annotations

import datetime as dt

import piexif
import pytest
from django.core.files.storage import default_storage

from mileage.core.models import AuditEntry
from mileage.core.text import korean_date
from mileage.readings import errors
from mileage.readings.models import Photo, Reading
from mileage.readings.services import submit_reading
from mileage.vehicles.models import Vehicle
from tests.factories import jung_citizen, mapo_official
from tests.readings.support import (
    approved,
    bomb_png,
    enrolled,
    jpeg_bytes,
    photos,
    stored_files,
    submit,
    today,
    upload,
)

pytestmark = pytest.mark.django_db


def test_c1_initial_reading_is_stored_with_its_capture_date(eco_settings) -> None:
    vehicle = enrolled()
    taken = today() - dt.timedelta(days=3)
    reading = submit(vehicle, "initial", 52000, today(), 1, taken=taken)
    assert reading.status == "submitted" and reading.km == 52000
    assert reading.taken_on == taken and reading.effective_on == taken
    assert reading.warnings == []
    assert len(stored_files(eco_settings)) == 2
    assert AuditEntry.objects.filter(
        action="reading.submit", vehicle=reading.vehicle, refs__reading=reading.pk
    ).exists()


def test_c1_without_capture_date_the_upload_date_is_effective_and_flagged(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1, taken=None)
    assert reading.taken_on is None and reading.effective_on == today()
    assert "no_capture_date" in {f.code for f in reading.flags.all()}


def test_gps_is_gone_from_every_stored_photo(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 52000, today(), 1, gps=True)
    files = stored_files(eco_settings)
    assert len(files) == 2
    for path in files:
        exif = piexif.load(path.read_bytes())
        assert exif["GPS"] == {}, path
    for photo in (reading.plate_photo, reading.dashboard_photo):
        assert default_storage.exists(photo.file)


def test_png_dashboard_photo_is_accepted(eco_settings) -> None:
    from tests.readings.support import png_bytes

    vehicle = enrolled()
    reading = submit_reading(
        vehicle.owner,
        vehicle,
        event="initial",
        km=1000,
        today=today(),
        plate_photo=upload(jpeg_bytes(1, taken=today())),
        dashboard_photo=upload(png_bytes(), "d.png", "image/png"),
    )
    assert reading.dashboard_photo.source_format == "PNG"


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (lambda: upload(b"not a photo at all " * 50, "dash.jpg"), errors.PhotoNotAnImage),
        (lambda: upload(jpeg_bytes(9, size=(640, 480))[:3000]), errors.PhotoDamaged),
        (lambda: upload(bomb_png(), "dash.png", "image/png"), errors.PhotoTooManyPixels),
        (lambda: upload(jpeg_bytes(9) + b"\0" * (30 * 1024 * 1024)), errors.PhotoTooLarge),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "pixel-bomb", "30mb"],
)
def test_refused_photo_leaves_no_file_and_no_row(eco_settings, bad, error) -> None:
    vehicle = enrolled()
    with pytest.raises(error):
        submit_reading(
            vehicle.owner,
            vehicle,
            event="initial",
            km=1,
            today=today(),
            plate_photo=upload(jpeg_bytes(1, taken=today())),
            dashboard_photo=bad(),
        )
    assert stored_files(eco_settings) == []
    assert not Reading.objects.exists() and not Photo.objects.exists()


def test_a_crash_after_the_files_were_written_removes_them_and_the_rows(
    eco_settings, monkeypatch
) -> None:
    """Fault injection: the flag step fails inside the transaction after both files were
    written; the rows roll back and the new files are deleted."""
    from mileage.readings.services import submit as submit_module

    def crash(*args, **kwargs):
        assert len(stored_files(eco_settings)) == 2  # the files really were written
        raise RuntimeError("disk full")

    monkeypatch.setattr(submit_module, "compute_flags", crash)
    with pytest.raises(RuntimeError):
        submit(enrolled(), "initial", 100, today(), 1)
    assert stored_files(eco_settings) == []
    assert not Reading.objects.exists() and not Photo.objects.exists()


def test_eco2_initial_reading_after_14_days_is_accepted_with_a_warning(eco_settings) -> None:
    vehicle = enrolled()
    later = today() + dt.timedelta(days=20)
    reading = submit(vehicle, "initial", 52000, later, 1)
    assert reading.status == "submitted"
    assert "14일 이내" in reading.warnings[0]
    assert "late_initial" in {f.code for f in reading.flags.all()}


def test_eco4_photo_taken_183_days_before_upload_is_accepted(eco_settings) -> None:
    reading = submit(enrolled(), "initial", 1, today(), 1, taken=today() - dt.timedelta(days=183))
    assert reading.taken_on == today() - dt.timedelta(days=183)


def test_eco4_photo_taken_184_days_before_upload_is_refused(eco_settings) -> None:
    with pytest.raises(errors.PhotoTooOld) as refused:
        submit(enrolled(), "initial", 1, today(), 1, taken=today() - dt.timedelta(days=184))
    assert "183일" in refused.value.message
    assert stored_files(eco_settings) == [] and not Reading.objects.exists()


def test_eco4_photo_dated_in_the_future_is_refused(eco_settings) -> None:
    with pytest.raises(errors.PhotoFromFuture):
        submit(enrolled(), "initial", 1, today(), 1, taken=today() + dt.timedelta(days=1))


def test_eco4_photo_before_the_previous_approved_reading_is_refused(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    from mileage.readings.services import end_participation

    later = today() + dt.timedelta(days=10)
    with pytest.raises(errors.PhotoBeforePrevious):
        end_participation(
            vehicle.owner,
            vehicle,
            reason="transfer",
            ended_on=later,
            km=2000,
            today=later,
            **photos(today() - dt.timedelta(days=1), 2),
        )
    vehicle.refresh_from_db()
    assert vehicle.status == "active"  # the end was not recorded either


def test_eco5_annual_reading_before_the_window_is_refused_with_its_dates(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    assert (
        cycle.window_opens_on.replace(year=cycle.window_opens_on.year - 1) == today()
        or today().month == 2
    )
    assert (cycle.window_closes_on - cycle.window_opens_on).days == 29
    with pytest.raises(errors.WindowNotOpen) as refused:
        submit(vehicle, "annual", 9000, cycle.window_opens_on - dt.timedelta(days=1), 2)
    assert korean_date(cycle.window_opens_on) in refused.value.message


def test_eco5_annual_reading_in_the_window_closes_the_cycle_on_approval(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    annual = submit(vehicle, "annual", 9000, cycle.window_closes_on, 2)
    assert annual.cycle_no == 1 and annual.warnings == []
    approved(annual)
    cycle.refresh_from_db()
    assert cycle.end_reading == annual
    assert vehicle.cycles.get(number=2).start_reading == annual


def test_eco5_late_annual_reading_is_accepted_with_a_void_warning(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    late = submit(vehicle, "annual", 9000, cycle.window_closes_on + dt.timedelta(days=1), 2)
    assert "무효" in late.warnings[0]
    assert "late_annual" in {f.code for f in late.flags.all()}


def test_a_second_pending_reading_of_the_same_kind_is_refused(eco_settings) -> None:
    vehicle = enrolled()
    submit(vehicle, "initial", 1000, today(), 1)
    with pytest.raises(errors.AlreadyPending):
        submit(vehicle, "initial", 1000, today(), 3)
    assert len(stored_files(eco_settings)) == 2


def test_another_citizen_may_not_submit_for_my_vehicle(eco_settings) -> None:
    from mileage.core.errors import Forbidden

    vehicle = enrolled()
    with pytest.raises(Forbidden):
        submit(vehicle, "initial", 1000, today(), 1, actor=jung_citizen())


def test_bad_km_is_refused_in_korean(eco_settings) -> None:
    vehicle = enrolled()
    with pytest.raises(errors.BadKm) as refused:
        submit_reading(
            vehicle.owner, vehicle, event="initial", km="-5", today=today(), **photos(today(), 1)
        )
    assert "정수" in refused.value.message


def test_eco2_walk_in_reading_entered_by_the_official_is_flagged(eco_settings) -> None:
    vehicle = enrolled()
    reading = submit(vehicle, "initial", 1000, today(), 1, actor=mapo_official())
    assert reading.channel == "walk-in" and reading.submitted_by == mapo_official()
    assert "walk_in" in {f.code for f in reading.flags.all()}
    assert Vehicle.objects.count() == 1
