"""The deadline-day load test's data (benchmarks/loadtest): seeded citizens may each upload one
annual reading today through the real page, and every stamped copy of the shared photos is
stored as a new file, so that accepted uploads, readings and photo files can be compared."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from benchmarks.loadtest import photos, seed
from mileage.accounts.models import User
from mileage.readings.models import Cycle, Photo, Reading
from tests.readings.support import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_photos() -> list[bytes]:
    # The real photos are 4000 x 3000 (photos.ensure); the same maker, smaller, keeps this fast.
    return [photos.make(n, target=40_000, width=400, height=300) for n in (1, 2)]


def _signed_in(username: str) -> Client:
    """Through the login page with the seeded password, as the load test signs in."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": seed.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    return client


def _upload(client: Client, vehicle: int, pair: list[bytes], n: int, km: int = 110_500) -> str:
    day = timezone.localdate().strftime("%Y:%m:%d")
    files = {
        "plate_photo": SimpleUploadedFile(
            "p.jpg", photos.stamped(pair[0], f"{day} 00:00:{2 * n:02d}"), "image/jpeg"
        ),
        "dashboard_photo": SimpleUploadedFile(
            "d.jpg", photos.stamped(pair[1], f"{day} 00:00:{2 * n + 1:02d}"), "image/jpeg"
        ),
    }
    response = client.post(
        f"/eco/vehicles/{vehicle}/readings/", {"event": "annual", "km": km, **files}, follow=True
    )
    return response.content.decode()


def test_seeded_citizens_upload_one_annual_reading_each_and_every_photo_is_stored_anew(
    eco_settings: Any, small_photos: list[bytes]
) -> None:
    rows = seed.load(3, tag="ddt")
    assert len(rows) == 3
    today = timezone.localdate()
    for cycle in Cycle.objects.all():
        assert cycle.window_opens_on <= today <= cycle.window_closes_on  # open today

    for n, (username, vehicle) in enumerate(rows):
        client = _signed_in(username)
        assert User.objects.get(username=username).vehicles.get().pk == vehicle
        assert "주행거리가 접수되었습니다" in _upload(client, vehicle, small_photos, n)

    assert Reading.objects.filter(event="annual", status="submitted").count() == 3
    new_photos = Photo.objects.exclude(sha256="0" * 64)
    assert new_photos.count() == 6  # the same pixels, six capture times: six stored photos
    assert len(stored_files(eco_settings)) == 6


def test_a_second_upload_of_the_same_citizen_is_refused_and_stores_nothing(
    eco_settings: Any, small_photos: list[bytes]
) -> None:
    (username, vehicle), *_ = seed.load(1, tag="ddu")
    client = _signed_in(username)
    assert "주행거리가 접수되었습니다" in _upload(client, vehicle, small_photos, 0)
    page = _upload(client, vehicle, small_photos, 1)
    assert "주행거리가 접수되었습니다" not in page
    assert "심사 중인 등록이 있습니다" in page
    assert Reading.objects.filter(event="annual").count() == 1
    assert len(stored_files(eco_settings)) == 2


def test_stamped_rewrites_only_the_capture_time() -> None:
    data = photos.make(3, target=20_000, width=200, height=150)
    day = "2026:12:04 09:15:00"
    out = photos.stamped(data, day)
    assert len(out) == len(data) and day.encode() in out and photos.PLACEHOLDER not in out
    with pytest.raises(ValueError):
        photos.stamped(data, "2026-12-04")
