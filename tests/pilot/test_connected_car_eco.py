"""ECO-18 end to end: a carmaker's signed connected-car readings count in eco-mileage.

Consent → signed initial reading (approved without photo review, opens cycle 1) → signed annual
reading in the ECO-5 window (closes cycle 1) → both show in the vehicle's history for the citizen
and the district official → an annual evaluation run (fast path and `approved_histories`) awards
the cycle under the key `eco-car:vehicle:<id>:cycle:1`, paid once on the payment date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mileage.accounts.districts import MAPO, district
from mileage.evaluations import services as runs
from mileage.evaluations.models import Result
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.partners.services import issue_key
from mileage.pilot.models import Consent, PartnerReading
from mileage.pilot.services.signed import issue_signing_key
from mileage.readings.models import Cycle, Reading
from mileage.readings.queries import approved_histories
from mileage.rules import evaluate
from mileage.vehicles.models import Vehicle
from tests import factories
from tests.pilot.test_api_end_to_end import _signed_body

pytestmark = pytest.mark.django_db

PLATE = "77허7777"


@pytest.fixture
def carmaker_setup(db: None) -> dict[str, Any]:
    carmaker = factories.partner("carmaker")
    _, token = issue_key(carmaker, "telematics")
    key, secret = issue_signing_key(carmaker)
    member = factories.mapo_citizen()
    vehicle = Vehicle.objects.create(
        owner=member,
        plate=PLATE,
        kind="passenger",
        seats=5,
        use="private",
        fuel="gasoline",
        first_registered_on=dt.date(2019, 3, 1),
        district=district(MAPO),
    )
    return {
        "carmaker": carmaker,
        "client": Client(headers={"X-API-Key": token}),
        "key": key,
        "secret": secret,
        "member": member,
        "vehicle": vehicle,
    }


def _consent(s: dict[str, Any]) -> None:
    Consent.objects.create(
        member=s["member"],
        partner=s["carmaker"],
        vehicle=s["vehicle"],
        purpose="connected-car",
        wording="커넥티드카 서비스의 누적주행거리 정보를 서울시 에코마일리지에 제공하는 것에 동의합니다.",
        wording_version="2024-01",
        consented_at=timezone.now(),
    )


def _send(s: dict[str, Any], event: str, km: int, on: dt.date) -> Any:
    body = _signed_body(
        s["key"].key_id,
        s["secret"],
        plate=PLATE,
        km=km,
        device_id="TCU-77",
        timestamp=f"{on.isoformat()}T09:00:00+09:00",
        event=event,
    )
    return s["client"].post(
        "/api/v1/pilot/connected-readings", body, content_type="application/json"
    )


def test_eco18_signed_connected_readings_open_cycles_and_are_awarded_by_the_annual_run(
    carmaker_setup: dict[str, Any],
) -> None:
    s = carmaker_setup
    today = timezone.localdate()
    initial_on, annual_on = today - dt.timedelta(days=380), today - dt.timedelta(days=10)

    refused = _send(s, "initial", 60_000, initial_on)  # no consent yet
    assert refused.status_code == 403
    assert not Reading.objects.exists() and not PartnerReading.objects.exists()
    _consent(s)

    first = _send(s, "initial", 60_000, initial_on)
    assert first.status_code == 201, first.content
    initial = Reading.objects.get(vehicle=s["vehicle"], event="initial")
    # ECO-18: approved without photo review; the device's timestamp is the effective date.
    assert (initial.status, initial.channel, initial.taken_on) == (
        "approved",
        "connected",
        initial_on,
    )
    assert initial.plate_photo_id is None and initial.partner_reading.signature
    cycle1 = Cycle.objects.get(vehicle=s["vehicle"], number=1)
    assert cycle1.start_reading == initial and cycle1.end_reading is None
    assert cycle1.window_opens_on <= annual_on <= cycle1.window_closes_on  # ECO-5

    second = _send(s, "annual", 64_000, annual_on)
    assert second.status_code == 201, second.content
    annual = Reading.objects.get(vehicle=s["vehicle"], event="annual")
    cycle1.refresh_from_db()
    assert cycle1.end_reading == annual  # closes cycle 1 and opens cycle 2, like photo readings
    assert Cycle.objects.get(vehicle=s["vehicle"], number=2).start_reading == annual

    # The vehicle's reading history: the citizen's page and the district official's page.
    citizen = Client()
    citizen.force_login(s["member"])
    page = citizen.get(f"/eco/vehicles/{s['vehicle'].pk}/").content.decode()
    assert page.count('data-testid="connected-badge"') == 2 and "64,000" in page
    official = Client()
    official.force_login(factories.mapo_official())
    review = official.get(f"/eco/review/{annual.pk}/").content.decode()
    assert 'data-testid="connected-evidence"' in review and "TCU-77" in review
    assert "60,000" in review and "64,000" in review

    (history,) = approved_histories([s["vehicle"].pk])
    assert [(r.event, r.km, r.effective_on) for r in history.readings] == [
        ("initial", 60_000, initial_on),
        ("annual", 64_000, annual_on),
    ]
    expected = evaluate(history.case())["cycles"][0]
    assert expected["mileage"] > 0  # 4,000 km in a year against a ~10,000 km baseline

    manager = factories.city_manager()
    tomorrow = today + dt.timedelta(days=1)  # a window is evaluated once it has ended (#14)
    run = runs.run_evaluation(
        runs.start_run(manager, today - dt.timedelta(days=60), today, today=tomorrow)
    )
    result = Result.objects.get(run=run, vehicle_id=s["vehicle"].pk)
    assert result.key == f"eco-car:vehicle:{s['vehicle'].pk}:cycle:1"
    assert (result.status, result.mileage, result.driven_km) == (
        expected["status"],
        expected["mileage"],
        expected["driven_km"],
    )
    runs.sign_off(run, manager)
    assert runs.pay_due(run, result.payment_on) == 1
    assert runs.pay_due(run, result.payment_on) == 0  # run it twice, paid once
    wallet = ledger.account("wallet", user=s["member"])
    assert ledger.balance(wallet) == expected["mileage"]
    assert_books_balance()


def test_eco18_connected_annual_before_the_window_is_refused_and_writes_nothing(
    carmaker_setup: dict[str, Any],
) -> None:
    s = carmaker_setup
    _consent(s)
    today = timezone.localdate()
    assert _send(s, "initial", 60_000, today - dt.timedelta(days=200)).status_code == 201
    early = _send(s, "annual", 62_000, today - dt.timedelta(days=1))  # ECO-5: before A
    assert early.status_code == 400 and "연간 실적 등록 기간" in early.json()["message"]
    assert list(Reading.objects.values_list("event", flat=True)) == ["initial"]
    assert PartnerReading.objects.count() == 1
    assert not Cycle.objects.filter(number=2).exists()


def test_eco18_connected_initial_while_a_photo_initial_is_in_review_is_refused(
    carmaker_setup: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from mileage.readings.services import submit_reading
    from tests.readings.support import photos

    settings.MEDIA_ROOT = str(tmp_path / "media")
    s = carmaker_setup
    _consent(s)
    today = timezone.localdate()
    submit_reading(s["member"], s["vehicle"], event="initial", km=59_000, **photos(today, 3))
    refused = _send(s, "initial", 60_000, today - dt.timedelta(days=1))
    assert refused.status_code == 409 and refused.json()["code"] == "reading.already_pending"
    assert list(Reading.objects.values_list("channel", "status")) == [("online", "submitted")]
    assert not PartnerReading.objects.exists() and not Cycle.objects.exists()
