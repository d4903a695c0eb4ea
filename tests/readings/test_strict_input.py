"""Strict input on eco-mileage vehicles (issue #13): a 309-digit km on the estimate is a Korean
422 / form error, not an OverflowError (finding 5); an end date before the participation began
is refused (ECO-11, finding 6); strings with control characters are 422."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mileage.readings.services import end_participation
from mileage.vehicles.errors import BadEnd
from mileage.vehicles.models import Vehicle
from tests.factories import mapo_citizen
from tests.readings.support import approved, enrolled, photos, submit, today

pytestmark = pytest.mark.django_db

HUGE = "9" * 309


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_estimate_with_a_309_digit_km_is_422_in_korean_on_the_api(eco_settings) -> None:
    vehicle = enrolled()
    answer = _as(vehicle.owner).get(f"/api/v1/vehicles/{vehicle.pk}/estimate?km={HUGE}")
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["code"] == "request.invalid" and "10,000,000 이하" in body["message"]


def test_estimate_with_a_309_digit_km_is_a_korean_error_on_the_page(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 50_000, today(), 1))
    page = _as(vehicle.owner).get(f"/eco/vehicles/{vehicle.pk}/?km={HUGE}")
    assert page.status_code == 200
    assert "누적주행거리는 0 ~ 10,000,000 km로 입력해 주세요." in page.content.decode()


def test_eco11_end_before_the_first_reading_is_refused(eco_settings) -> None:
    vehicle = enrolled()
    first = today() - dt.timedelta(days=10)
    approved(submit(vehicle, "initial", 50_000, first, 1))
    for ended_on in (dt.date(1, 1, 1), first - dt.timedelta(days=1)):
        with pytest.raises(BadEnd) as refused:
            end_participation(
                vehicle.owner,
                vehicle,
                reason="transfer",
                ended_on=ended_on,
                km=51_000,
                **photos(today(), 2),
            )
        assert "참여를 시작한 날" in refused.value.message
    vehicle.refresh_from_db()
    assert vehicle.status == "active" and vehicle.ended_on is None


def test_eco11_end_on_0001_01_01_is_422_on_the_api(eco_settings) -> None:
    vehicle = enrolled()
    answer = _as(vehicle.owner).post(
        f"/api/v1/vehicles/{vehicle.pk}/end",
        {"reason": "transfer", "ended_on": "0001-01-01", "km": "51000"},
    )
    assert answer.status_code == 422, answer.content
    assert "2009년" in answer.json()["message"]
    assert Vehicle.objects.get(pk=vehicle.pk).ended_on is None


def test_plate_with_a_newline_or_nul_is_422_not_a_server_error(eco_settings) -> None:
    client = _as(mapo_citizen())
    for plate in ("12가3456\n", "12가\x003456", "1" * 21):
        answer = client.post("/api/v1/vehicles/", {"plate": plate}, content_type="application/json")
        assert answer.status_code == 422, answer.content
        assert answer.json()["errors"][0]["loc"][-1] == "plate"
    assert not Vehicle.objects.exists()


def test_review_decisions_take_strict_integers(eco_settings) -> None:
    from tests.factories import mapo_official

    vehicle = enrolled()
    reading = submit(vehicle, "initial", 50_000, today(), 1)
    official = _as(mapo_official())
    for body in (
        {"version": True},
        {"version": "1"},
        {"version": 2**63 - 1},  # found by the fuzz run: a 500 on SQLite (version + 1)
        {"version": 1, "corrected_km": int(HUGE)},
    ):
        answer = official.post(
            f"/api/v1/readings/{reading.pk}/approve", body, content_type="application/json"
        )
        assert answer.status_code == 422, answer.content
    reading.refresh_from_db()
    assert reading.status == "submitted"
