"""Photos on object storage (issue #12): the upload and review path against a real
S3-compatible server (moto's standalone server, started here on 127.0.0.1), through Django's
STORAGES setting and django-storages, as production runs it with PHOTO_STORAGE=s3."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from mileage.readings.models import Photo, Reading
from mileage.site.photo_storage import photo_storage
from tests.factories import jung_official, mapo_citizen, mapo_official
from tests.platform.prodenv import free_port
from tests.readings.support import jpeg_bytes, today, upload

pytestmark = pytest.mark.django_db

CREDENTIALS = {"access_key": "mileage-test", "secret_key": "mileage-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto_server on a free port of 127.0.0.1 for this module's tests."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=5).close()
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            assert server.poll() is None, "moto_server did not start"
            assert time.monotonic() < deadline, "moto_server did not answer"
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(10)


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-northeast-2",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )


def use_bucket(settings: Any, endpoint: str, bucket: str) -> None:
    """STORAGES["default"] as settings.py builds it for PHOTO_STORAGE=s3 and its variables."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": photo_storage(
            {
                "PHOTO_STORAGE": "s3",
                "PHOTO_S3_BUCKET": bucket,
                "PHOTO_S3_ENDPOINT_URL": endpoint,
                "PHOTO_S3_REGION": "ap-northeast-2",
                "PHOTO_S3_ADDRESSING_STYLE": "path",
                "AWS_ACCESS_KEY_ID": CREDENTIALS["access_key"],
                "AWS_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
            }
        ),
    }


def test_local_files_by_default_and_a_bucket_must_be_named() -> None:
    assert photo_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with pytest.raises(ImproperlyConfigured, match="PHOTO_S3_BUCKET"):
        photo_storage({"PHOTO_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="'local' or 's3'"):
        photo_storage({"PHOTO_STORAGE": "ftp"})


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def enrol_and_upload(citizen: Client) -> tuple[int, Any]:
    response = citizen.post("/eco/vehicles/new/", {"plate": "12가3456"})
    assert response.status_code == 302
    vehicle_id = int(response["Location"].rstrip("/").split("/")[-1])
    sent = citizen.post(
        f"/eco/vehicles/{vehicle_id}/readings/",
        {
            "event": "initial",
            "km": "52000",
            "plate_photo": upload(jpeg_bytes(11, taken=today())),
            "dashboard_photo": upload(jpeg_bytes(12, taken=today())),
        },
        follow=True,
    )
    return vehicle_id, sent


def test_upload_review_and_reading_photos_through_a_private_s3_bucket(
    eco_settings: Any, s3_endpoint: str
) -> None:
    bucket = f"photos-{uuid.uuid4().hex[:12]}"
    s3 = s3_client(s3_endpoint)
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"}
    )
    use_bucket(eco_settings, s3_endpoint, bucket)
    owner = mapo_citizen()
    citizen = signed_in(owner)
    _vehicle_id, sent = enrol_and_upload(citizen)
    assert "접수되었습니다" in sent.content.decode()
    reading = Reading.objects.get()

    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == sorted([reading.plate_photo.file, reading.dashboard_photo.file])
    assert all(k.startswith("photos/") and k.endswith(".jpg") for k in keys)
    assert not any(Path(eco_settings.MEDIA_ROOT).rglob("*.jpg"))  # nothing on the web server
    for key in keys:  # private: no grant to everyone
        grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        assert all("AllUsers" not in str(g.get("Grantee", {}).get("URI", "")) for g in grants)

    official = signed_in(mapo_official())
    assert "12가3456" in official.get("/eco/review/").content.decode()
    photo_url = f"/eco/photos/{reading.dashboard_photo_id}/"
    served = official.get(photo_url)
    stored = s3.get_object(Bucket=bucket, Key=reading.dashboard_photo.file)["Body"].read()
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    assert served["Cache-Control"].startswith("private")
    official.post(f"/eco/review/{reading.pk}/approve/", {"version": "1"})
    assert Reading.objects.get().status == "approved"

    assert citizen.get(photo_url).status_code == 200  # the owner
    assert signed_in(jung_official()).get(photo_url).status_code == 404  # another district
    assert Client().get(photo_url).status_code in (302, 404)  # anonymous: to the login page


def test_a_bucket_that_refuses_the_write_refuses_the_upload_and_keeps_nothing(
    eco_settings: Any, s3_endpoint: str
) -> None:
    use_bucket(eco_settings, s3_endpoint, f"missing-{uuid.uuid4().hex[:12]}")  # no such bucket
    _vehicle_id, sent = enrol_and_upload(signed_in(mapo_citizen()))
    page = sent.content.decode()
    assert "사진을 저장하지 못해 등록하지 않았습니다" in page
    assert not Reading.objects.exists() and not Photo.objects.exists()


def test_a_disk_that_refuses_the_write_refuses_the_upload_and_keeps_nothing(
    eco_settings: Any, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the photo directory should be")
    eco_settings.MEDIA_ROOT = str(blocked)
    _vehicle_id, sent = enrol_and_upload(signed_in(mapo_citizen()))
    assert "사진을 저장하지 못해 등록하지 않았습니다" in sent.content.decode()
    assert not Reading.objects.exists() and not Photo.objects.exists()


def test_the_upload_api_answers_503_with_the_korean_message(
    eco_settings: Any, s3_endpoint: str
) -> None:
    use_bucket(eco_settings, s3_endpoint, f"missing-{uuid.uuid4().hex[:12]}")
    citizen = signed_in(mapo_citizen())
    response = citizen.post("/eco/vehicles/new/", {"plate": "12가3456"})
    vehicle_id = int(response["Location"].rstrip("/").split("/")[-1])
    answer = citizen.post(
        f"/api/v1/vehicles/{vehicle_id}/readings",
        {
            "event": "initial",
            "km": "52000",
            "plate_photo": upload(jpeg_bytes(21, taken=today())),
            "dashboard_photo": upload(jpeg_bytes(22, taken=today())),
        },
    )
    assert answer.status_code == 503
    assert answer.json()["code"] == "reading.photo_not_stored"
    assert not Reading.objects.exists()
