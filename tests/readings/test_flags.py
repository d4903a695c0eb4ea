"""Automatic review flags: same photo, near-duplicate, km decreased, implausible km/day, capture
date far from upload (parameters in mileage/rules/parameters/eco/review_*.yaml)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from mileage.readings.services import submit_reading
from tests.readings.support import approved, enrolled, jpeg_bytes, photos, submit, today, upload

pytestmark = pytest.mark.django_db


def codes(reading) -> set[str]:
    return {f.code for f in reading.flags.all()}


def test_clean_reading_has_no_flags(eco_settings) -> None:
    assert codes(submit(enrolled(), "initial", 1000, today(), 1)) == set()


def test_same_photo_used_for_another_vehicle_is_flagged(eco_settings) -> None:
    first = submit(enrolled("12가3456"), "initial", 1000, today(), 1)
    second = submit(enrolled("34나5678"), "initial", 2000, today(), 1)  # the very same files
    flag = second.flags.get(code="same_photo")
    assert flag.related_reading == first and "12가3456" in flag.detail
    assert second.plate_photo_id == first.plate_photo_id  # stored once


def test_near_duplicate_photo_is_flagged(eco_settings) -> None:
    first = submit(enrolled("12가3456"), "initial", 1000, today(), 1)
    original = Image.open(io.BytesIO(jpeg_bytes(1001, taken=today(), text="ODO")))
    resized = io.BytesIO()
    original.resize((300, 225)).save(resized, format="JPEG", quality=70)  # re-saved, resized copy
    other = enrolled("34나5678")
    second = submit_reading(
        other.owner,
        other,
        event="initial",
        km=2000,
        today=today(),
        plate_photo=upload(jpeg_bytes(77, taken=today())),
        dashboard_photo=upload(resized.getvalue()),
    )
    assert "same_photo" not in codes(second)
    assert second.flags.get(code="near_duplicate").related_reading == first


def test_odometer_lower_than_previous_and_implausible_daily_km_are_flagged(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 50_000, today(), 1))
    cycle = vehicle.cycles.get()
    lower = submit(vehicle, "annual", 49_000, cycle.window_opens_on, 2)
    assert "km_decreased" in codes(lower)
    from mileage.readings.services import reject_reading
    from tests.factories import mapo_official

    reject_reading(mapo_official(), lower, version=1, reason="km_mismatch")
    days = (cycle.window_opens_on - today()).days
    wild = submit(vehicle, "annual", 50_000 + 501 * days, cycle.window_opens_on, 3)
    assert "implausible_daily_km" in codes(wild) and "km_decreased" not in codes(wild)
    reject_reading(mapo_official(), wild, version=1, reason="km_mismatch")
    ok = submit(
        vehicle,  # exactly 500 km a day is not flagged
        "annual",
        50_000 + 500 * days,
        cycle.window_opens_on,
        4,
    )
    assert "implausible_daily_km" not in codes(ok)


def test_capture_date_far_from_upload_is_flagged_after_14_days(eco_settings) -> None:
    near = submit(
        enrolled("12가3456"), "initial", 1, today(), 1, taken=today() - dt.timedelta(days=14)
    )
    far = submit(
        enrolled("34나5678"), "initial", 1, today(), 3, taken=today() - dt.timedelta(days=15)
    )
    assert "capture_far_from_upload" not in codes(near)
    assert "capture_far_from_upload" in codes(far)


def test_no_capture_date_names_the_photo_without_one(eco_settings) -> None:
    vehicle = enrolled()
    mixed = photos(today(), 5)
    mixed["plate_photo"] = upload(jpeg_bytes(5))
    reading = submit_reading(vehicle.owner, vehicle, event="initial", km=1, today=today(), **mixed)
    flag = reading.flags.get(code="no_capture_date")
    assert "번호판" in flag.detail and "계기판" not in flag.detail
    assert reading.taken_on == today()  # the dashboard's date dates the reading
