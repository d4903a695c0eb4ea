"""End to end through the API (PILOT-1..8): enrol, initial and final photo readings reviewed by
the district, bank account, evaluation, payout through the ledger; an electric vehicle gets the
20% bonus (PILOT-7: 35,000 → 42,000). Also: tampered OBD readings refused (PILOT-3, ECO-18)
and bank account numbers never stored or logged in clear."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mileage.evaluations import services as runs
from mileage.evaluations.models import EvaluationRun
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.partners import signing
from mileage.pilot.models import Enrolment, Method, PartnerReading
from mileage.pilot.services.signed import issue_signing_key
from mileage.readings.models import Reading
from mileage.readings.services import approve_reading
from tests import factories
from tests.pilot.conftest import CONSENT_WORDING, ci, hicar, registry_row
from tests.readings.support import photos

pytestmark = pytest.mark.django_db

EV_ROW = registry_row(
    "33아7777", "pilot-ev", "전기차", "passenger,5,private,electric,2011-06-01,11440"
)


def _enrol_json(plate: str, member: str, contract: str, **extra: Any) -> dict[str, Any]:
    return {
        "plate": plate,
        "member_ci": ci(member),
        "member_name": "전기차",
        "policy_number": "HW-1",
        "contract_on": contract,
        "contract_kind": "new",
        "method": "photo",
        "consent": {
            "given": True,
            "wording": CONSENT_WORDING,
            "version": "2014-09",
            "consented_at": f"{contract}T10:00:00+09:00",
        },
        **extra,
    }


def test_pilot_end_to_end_electric_vehicle_gets_42000_paid_once(
    programme: Any, registry: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with registry.open("a", encoding="utf-8") as handle:
        handle.write(EV_ROW + "\n")
    _, token = factories.api_key("insurer")
    insurer = Client(headers={"X-API-Key": token})

    made = insurer.post(
        "/api/v1/pilot/enrolments",
        _enrol_json("33아7777", "pilot-ev", "2014-10-20"),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    enrolment_id = made.json()["id"]
    url = f"/api/v1/pilot/enrolments/{enrolment_id}/photo-readings"

    initial = insurer.post(
        url,
        {
            "event": "initial",
            "km": 30000,
            "sent_on": "2014-10-20",
            **photos(dt.date(2014, 10, 20), 71),
        },
    )
    assert initial.status_code == 201, initial.content
    assert "기한" in initial.json()["message"]
    official = factories.mapo_official()
    reading = Reading.objects.get(pilot__enrolment_id=enrolment_id, event="initial")
    approve_reading(official, reading, version=reading.version)

    final = insurer.post(
        url,
        {
            "event": "final",
            "km": 31200,
            "sent_on": "2015-04-22",
            **photos(dt.date(2015, 4, 22), 72),
        },
    )
    assert final.status_code == 201, final.content
    reading = Reading.objects.get(pilot__enrolment_id=enrolment_id, event="final")
    approve_reading(official, reading, version=reading.version)

    member = Client()
    member.force_login(Enrolment.objects.get(pk=enrolment_id).member)
    bank = member.put(
        "/api/v1/pilot/bank-account",
        {"bank_name": "국민은행", "holder_name": "전기차", "number": "123456-01-234567"},
        content_type="application/json",
    )
    assert bank.json()["number"] == "****-****-4567"

    city = Client()
    manager = factories.city_manager()
    city.force_login(manager)
    window = {"window_from": "2015-04-01", "window_to": "2015-05-31"}
    counts = city.post("/api/v1/pilot/evaluations", window, content_type="application/json")
    assert counts.status_code == 200, counts.content
    assert counts.json()["awarded"] == 1 and counts.json()["mileage"] == 42000
    again = city.post("/api/v1/pilot/evaluations", window, content_type="application/json")
    assert again.status_code == 409  # one live run per window (the eco-mileage machinery)
    run = EvaluationRun.objects.get(pk=counts.json()["run"])
    assert run.programme == "pilot-2014" and run.status == "evaluated"
    runs.sign_off(run, manager)
    assert runs.pay_due(run, dt.date(2015, 6, 20)) == 0  # PILOT-8: not before final + 60 days
    assert runs.pay_due(run, dt.date(2015, 6, 21)) == 1
    assert runs.pay_due(run, dt.date(2015, 6, 21)) == 0  # run twice, paid once

    outcome = insurer.get(f"/api/v1/pilot/enrolments/{enrolment_id}").json()["outcome"]
    assert outcome == {
        "status": "awarded",
        "mileage": 42000,
        "reduction_pct": 73,
        "payment_on": "2015-06-21",
        "payment_by": "2015-07-01",
    }
    wallet = ledger.account("wallet", user=Enrolment.objects.get(pk=enrolment_id).member)
    assert ledger.balance(wallet) == 42000
    assert_books_balance()

    other = Client(headers={"X-API-Key": factories.api_key("other_insurer")[1]})
    assert other.get(f"/api/v1/pilot/enrolments/{enrolment_id}").status_code == 404
    refused = other.post(url, {"event": "final", "km": 1, **photos(dt.date(2015, 4, 22), 73)})
    assert refused.status_code == 404  # insurer isolation on readings too
    totals = {r["partner"]: r for r in city.get("/api/v1/pilot/summary").json()}
    assert totals["hanwha"]["enrolled"] == 1 and totals["hanwha"]["mileage"] == 42000


def test_pilot3_late_initial_reading_is_refused_and_voids_the_enrolment(
    programme: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    insurer = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    made = insurer.post(
        "/api/v1/pilot/enrolments",
        _enrol_json("12가3456", "pilot-kim", "2014-10-15"),
        content_type="application/json",
    ).json()
    late = insurer.post(
        f"/api/v1/pilot/enrolments/{made['id']}/photo-readings",
        {
            "event": "initial",
            "km": 1000,
            "sent_on": "2014-10-23",
            **photos(dt.date(2014, 10, 23), 80),
        },
    )
    assert late.status_code == 409
    assert late.json()["code"] == "pilot.reading_late" and "10월 22일" in late.json()["message"]
    assert Enrolment.objects.get(pk=made["id"]).status == "void"
    assert not Reading.objects.exists()


def _signed_body(key_id: str, secret: str, **fields: Any) -> dict[str, Any]:
    body = {
        "key_id": key_id,
        "plate": "12가3456",
        "km": 52000,
        "device_id": "OBD-1",
        "timestamp": "2014-10-16T09:00:00+09:00",
        "event": "initial",
        **fields,
    }
    message = signing.canonical_message(
        key_id=key_id,
        vehicle_ref=body["plate"],
        odometer_km=body["km"],
        device_id=body["device_id"],
        timestamp=body["timestamp"],
    )
    body["signature"] = signing.sign(secret, message)
    return body


def test_pilot3_signed_obd_reading_accepted_and_tampered_one_refused(programme: Any) -> None:
    partner = hicar()
    from mileage.partners.services import issue_key

    _, token = issue_key(partner, "hicar test")
    signing_key, secret = issue_signing_key(partner)
    client = Client(headers={"X-API-Key": token})
    made = client.post(
        "/api/v1/pilot/enrolments",
        _enrol_json(
            "12가3456", "pilot-kim", "2014-10-15", method=Method.OBD, obd_device_id="OBD-1"
        ),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content

    tampered = _signed_body(signing_key.key_id, secret)
    tampered["km"] = 42000  # the value changed after signing
    refused = client.post(
        "/api/v1/pilot/signed-readings", tampered, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "partner_reading.bad_signature"
    assert not PartnerReading.objects.exists()

    good = client.post(
        "/api/v1/pilot/signed-readings",
        _signed_body(signing_key.key_id, secret),
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    assert PartnerReading.objects.get().km == 52000


def test_eco18_connected_car_reading_needs_the_members_consent(programme: Any) -> None:
    from django.utils import timezone

    from mileage.accounts.districts import MAPO, district
    from mileage.pilot.models import Consent
    from mileage.vehicles.models import Vehicle

    carmaker = factories.partner("carmaker")
    _, token = factories.api_key("carmaker")
    signing_key, secret = issue_signing_key(carmaker)
    member = factories.mapo_citizen()
    vehicle = Vehicle.objects.create(
        owner=member,
        plate="12가3456",
        kind="passenger",
        seats=5,
        use="private",
        fuel="electric",
        first_registered_on=dt.date(2020, 1, 1),
        district=district(MAPO),
    )
    client = Client(headers={"X-API-Key": token})
    body = _signed_body(
        signing_key.key_id,
        secret,
        device_id="TCU-9",
        timestamp="2024-03-15T08:00:00+09:00",
        event="initial",  # ECO-18 readings follow the eco event order: initial first
    )
    assert (
        client.post(
            "/api/v1/pilot/connected-readings", body, content_type="application/json"
        ).status_code
        == 403
    )
    Consent.objects.create(
        member=member,
        partner=carmaker,
        vehicle=vehicle,
        purpose="connected-car",
        wording="커넥티드카 주행거리 제공 동의",
        wording_version="v1",
        consented_at=timezone.now(),
    )
    ok = client.post("/api/v1/pilot/connected-readings", body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["method"] == "connected"


def test_pilot8_bank_account_never_stored_or_logged_in_clear(
    programme: Any, caplog: pytest.LogCaptureFixture
) -> None:
    member = factories.mapo_citizen()
    client = Client()
    client.force_login(member)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # SQL and its parameters go to the log as well
    try:
        answer = client.put(
            "/api/v1/pilot/bank-account",
            {"bank_name": "신한은행", "holder_name": "김마포", "number": "110-987-654321"},
            content_type="application/json",
        )
    finally:
        connection.force_debug_cursor = False
    assert answer.status_code == 200 and answer.json()["number"] == "****-****-4321"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "sql" in logged.lower() or "INSERT" in logged  # the scan saw the queries
    for clear in ("110987654321", "110-987-654321"):
        assert clear not in logged and clear not in answer.content.decode()
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(str(v) for row in cursor.fetchall() for v in row)
    text = "\n".join(dump)
    assert "110987654321" not in text and "110-987-654321" not in text
    from mileage.pilot import crypto
    from mileage.pilot.models import BankAccount

    stored = BankAccount.objects.get(member=member)
    assert crypto.reveal(stored.number_encrypted) == "110987654321"  # the export can read it
    assert "654321" not in repr(stored) and "654321" not in str(stored)
