"""Photo checks off the request (issue #12, deadline day; READING_PHOTO_CHECKS=worker): the
upload is kept as sent and its reading shown as "사진 확인 중" until the Celery task
`readings.check_photos` has checked it; a failed check marks the reading for the citizen with the
Korean reason; without a broker the task runs eagerly, so the embedded default behaves as
before; a storage that refuses the write still refuses the upload and keeps nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from mileage.readings.models import Photo, Reading, ReadingStatus
from mileage.readings.services.checks import check_pending_photos
from tests.factories import mapo_citizen, mapo_official
from tests.readings.support import jpeg_bytes, stored_files, today, upload

# Real commits: the check follows the upload's commit (transaction.on_commit), as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_worker(eco_settings: Any) -> Any:
    eco_settings.READING_PHOTO_CHECKS = "worker"
    return eco_settings


def _citizen() -> Client:
    client = Client()
    client.force_login(mapo_citizen())
    return client


def _enrol(client: Client) -> int:
    response = client.post("/eco/vehicles/new/", {"plate": "12가3456"})
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").split("/")[-1])


def _upload(client: Client, vehicle_id: int, plate: bytes, dashboard: bytes) -> str:
    sent = client.post(
        f"/eco/vehicles/{vehicle_id}/readings/",
        {
            "event": "initial",
            "km": "52000",
            "plate_photo": upload(plate),
            "dashboard_photo": upload(dashboard),
        },
        follow=True,
    )
    assert sent.status_code == 200
    return sent.content.decode()


def _good() -> tuple[bytes, bytes]:
    return jpeg_bytes(11, taken=today()), jpeg_bytes(12, taken=today())


def _incoming(settings: Any) -> list[Path]:
    return [p for p in stored_files(settings) if "incoming" in p.parts]


def test_without_a_broker_the_checks_run_right_after_the_upload(on_worker: Any) -> None:
    client = _citizen()
    vehicle_id = _enrol(client)
    page = _upload(client, vehicle_id, *_good())
    assert "주행거리가 접수되었습니다. 구청 담당자가 심사합니다." in page
    reading = Reading.objects.get()
    assert reading.status == ReadingStatus.SUBMITTED and reading.incoming is None
    assert reading.plate_photo is not None and reading.dashboard_photo is not None
    assert reading.taken_on == today()
    assert len(stored_files(on_worker)) == 2 and not _incoming(on_worker)  # as sent: removed
    assert check_pending_photos(reading.pk) == "skipped"  # a second delivery changes nothing


def test_a_photo_that_fails_its_check_marks_the_reading_with_the_korean_reason(
    on_worker: Any,
) -> None:
    client = _citizen()
    vehicle_id = _enrol(client)
    plate, dashboard = _good()
    page = _upload(client, vehicle_id, plate, dashboard[: len(dashboard) // 2])  # cut short
    reading = Reading.objects.get()
    assert reading.status == ReadingStatus.FAILED
    assert reading.plate_photo is None and reading.incoming is None
    assert "사진 파일이 손상되어 열 수 없습니다" in reading.review_note
    assert not Photo.objects.exists() and stored_files(on_worker) == []  # nothing kept

    page = client.get(f"/eco/vehicles/{vehicle_id}/").content.decode()
    assert "사진 확인 실패" in page
    assert 'role="alert" data-testid="photo-check-failed"' in page
    assert "사진 파일이 손상되어 열 수 없습니다" in page
    assert "reading.photo_damaged" not in page  # Korean only, no error code

    page = _upload(client, vehicle_id, *_good())  # the citizen uploads again: accepted
    assert "주행거리가 접수되었습니다" in page
    assert Reading.objects.filter(status=ReadingStatus.SUBMITTED).count() == 1


def test_a_storage_that_refuses_the_write_refuses_the_upload_and_keeps_nothing(
    on_worker: Any, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the photo directory should be")
    client = _citizen()
    vehicle_id = _enrol(client)
    on_worker.MEDIA_ROOT = str(blocked)
    page = _upload(client, vehicle_id, *_good())
    assert "사진을 저장하지 못해 등록하지 않았습니다" in page
    assert not Reading.objects.exists() and not Photo.objects.exists()


def test_the_checks_mode_is_request_unless_worker_is_asked_for(eco_settings: Any) -> None:
    # The default: checked in the request, a damaged photo refused at once, nothing stored.
    client = _citizen()
    vehicle_id = _enrol(client)
    plate, dashboard = _good()
    page = _upload(client, vehicle_id, plate, dashboard[: len(dashboard) // 2])
    assert "사진 파일이 손상되어 열 수 없습니다" in page
    assert not Reading.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("CELERY_TEST_BROKER_URL"), reason="CELERY_TEST_BROKER_URL is not set"
)
def test_on_a_real_worker_the_reading_shows_checking_until_the_worker_has_checked_it(
    on_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.celery_support import celery_app, flush_broker, start_worker, stop_worker, wait_for

    url = os.environ["CELERY_TEST_BROKER_URL"]
    monkeypatch.setenv("MEDIA_ROOT", str(on_worker.MEDIA_ROOT))  # the worker's photo directory
    flush_broker(url)
    client = _citizen()
    vehicle_id = _enrol(client)
    with celery_app(broker_url=url, task_always_eager=False):
        page = _upload(client, vehicle_id, *_good())  # no worker yet: the task waits in Redis
        assert "사진을 확인한 뒤 구청 담당자가 심사합니다" in page
        reading = Reading.objects.get()
        assert reading.status == ReadingStatus.CHECKING and reading.plate_photo is None
        assert len(_incoming(on_worker)) == 2 and not Photo.objects.exists()
        assert "사진 확인 중" in client.get(f"/eco/vehicles/{vehicle_id}/").content.decode()
        official = Client()
        official.force_login(mapo_official())
        queue = official.get("/eco/review/").content.decode()
        assert f"/eco/review/{reading.pk}/" not in queue  # not for review before its check
        detail = official.get(f"/eco/review/{reading.pk}/")
        assert (
            detail.status_code == 200
            and 'data-testid="photos-not-checked"' in detail.content.decode()
        )

        worker = start_worker(url, concurrency=1, name="photos")
        try:
            wait_for(
                lambda: Reading.objects.get(pk=reading.pk).status == ReadingStatus.SUBMITTED,
                "the worker to check the photos",
                worker=worker,
            )
        finally:
            stop_worker(worker)
    flush_broker(url)
    reading.refresh_from_db()
    assert reading.plate_photo is not None and reading.taken_on == today()
    assert Photo.objects.count() == 2 and not _incoming(on_worker)
    assert f"/eco/review/{reading.pk}/" in official.get("/eco/review/").content.decode()
