"""The eco API (/api/v1/vehicles/, /api/v1/readings/): multipart photos, scoped reads, review
decisions, appeals; refusals are JSON with a Korean message."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.readings.models import Photo, Reading
from tests.factories import city_manager, jung_official, mapo_citizen, mapo_official
from tests.readings.support import bomb_png, jpeg_bytes, stored_files, today, upload

pytestmark = pytest.mark.django_db


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enrol_and_submit(client: Client) -> dict:
    vehicle = client.post(
        "/api/v1/vehicles/", {"plate": "12가3456"}, content_type="application/json"
    )
    assert vehicle.status_code == 201, vehicle.content
    response = client.post(
        f"/api/v1/vehicles/{vehicle.json()['id']}/readings",
        {
            "event": "initial",
            "km": 52000,
            "plate_photo": upload(jpeg_bytes(1, taken=today(), gps=True)),
            "dashboard_photo": upload(jpeg_bytes(2, taken=today())),
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_citizen_submits_official_approves_through_the_api(eco_settings) -> None:
    reading = enrol_and_submit(as_(mapo_citizen()))
    assert reading["status"] == "submitted" and reading["taken_on"] == today().isoformat()
    official = as_(mapo_official())
    queue = official.get("/api/v1/readings/?status=submitted").json()
    assert [r["id"] for r in queue] == [reading["id"]]
    photo = official.get(reading["dashboard_photo_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert as_(jung_official()).get(reading["dashboard_photo_url"]).status_code == 404
    decided = official.post(
        f"/api/v1/readings/{reading['id']}/approve",
        {"version": reading["version"], "corrected_km": 52010},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["km"] == 52010
    again = official.post(
        f"/api/v1/readings/{reading['id']}/reject",
        {"version": reading["version"], "reason": "km_mismatch"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "reading.already_decided"
    dashboard = as_(mapo_citizen()).get(f"/api/v1/vehicles/{reading['vehicle_id']}").json()
    assert dashboard["cycle_number"] == 1 and dashboard["window_opens_on"]
    estimate = (
        as_(mapo_citizen())
        .get(f"/api/v1/vehicles/{reading['vehicle_id']}/estimate?km=60000")
        .json()
    )
    assert estimate["cycle"]["status"] in {"awarded", "no-award"} and estimate["explanation"]
    audit = as_(city_manager()).get("/api/v1/readings/audit").json()
    assert {"reading.approve", "reading.submit", "vehicle.register"} <= {e["action"] for e in audit}


def test_jung_official_cannot_see_or_decide_a_mapo_reading(eco_settings) -> None:
    reading = enrol_and_submit(as_(mapo_citizen()))
    jung = as_(jung_official())
    assert jung.get("/api/v1/readings/").json() == []
    assert jung.get(f"/api/v1/readings/{reading['id']}").status_code == 404
    response = jung.post(
        f"/api/v1/readings/{reading['id']}/approve", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Reading.objects.get().status == "submitted"


def test_a_pixel_bomb_through_the_api_is_refused_in_korean_and_leaves_nothing(eco_settings) -> None:
    client = as_(mapo_citizen())
    vehicle = client.post(
        "/api/v1/vehicles/", {"plate": "12가3456"}, content_type="application/json"
    ).json()
    response = client.post(
        f"/api/v1/vehicles/{vehicle['id']}/readings",
        {
            "event": "initial",
            "km": 1,
            "plate_photo": upload(jpeg_bytes(1, taken=today())),
            "dashboard_photo": upload(bomb_png(), "dash.png", "image/png"),
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "reading.photo_too_many_pixels"
    assert "해상도" in response.json()["message"]
    assert stored_files(eco_settings) == [] and not Photo.objects.exists()


def test_ineligible_vehicle_through_the_api_gives_the_reasons(eco_settings) -> None:
    response = as_(mapo_citizen()).post(
        "/api/v1/vehicles/", {"plate": "56다7890"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]["reasons"] == ["비사업용 차량만 참여할 수 있습니다."]


def test_appeal_thread_through_the_api(eco_settings) -> None:
    reading = enrol_and_submit(as_(mapo_citizen()))
    as_(mapo_official()).post(
        f"/api/v1/readings/{reading['id']}/reject",
        {"version": 1, "reason": "plate_unreadable"},
        content_type="application/json",
    )
    citizen = as_(mapo_citizen())
    opened = citizen.post(
        f"/api/v1/readings/{reading['id']}/appeal",
        {
            "body": "다시 찍었습니다.",
            "photos": [upload(jpeg_bytes(9, taken=today()))],
        },
    )
    assert opened.status_code == 201, opened.content
    appeal = opened.json()
    assert len(appeal["messages"][0]["photo_urls"]) == 1
    twice = citizen.post(f"/api/v1/readings/{reading['id']}/appeal", {"body": "또"})
    assert twice.status_code == 409
    answer = as_(mapo_official()).post(
        f"/api/v1/readings/appeals/{appeal['id']}/decision",
        {"accept": True, "body": "인용"},
        content_type="application/json",
    )
    assert answer.json()["status"] == "accepted"
    assert citizen.get(f"/api/v1/readings/{reading['id']}").json()["status"] == "approved"
