"""Strict input on the pilot and connected-car API (issue #13, findings 5 and 6): a connected-car
plate ending in a newline is 422, not a ValueError; consent dates in the future or outside the
programme's years are refused; a bank holder name over the maximum is refused, never cut."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mileage.partners.services import issue_key
from mileage.pilot.models import BankAccount, Consent, Enrolment, PartnerReading
from mileage.pilot.services.signed import issue_signing_key
from tests import factories
from tests.pilot.test_api_end_to_end import _enrol_json, _signed_body

pytestmark = pytest.mark.django_db

ENROL = "/api/v1/pilot/enrolments"


def test_connected_plate_ending_in_a_newline_is_422(db: None) -> None:
    carmaker = factories.partner("carmaker")
    _, token = issue_key(carmaker, "telematics")
    key, secret = issue_signing_key(carmaker)
    client = Client(headers={"X-API-Key": token})
    body = _signed_body(key.key_id, secret)
    body["plate"] = "12가3456\n"  # after signing: the canonical message cannot hold a newline
    answer = client.post("/api/v1/pilot/connected-readings", body, content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["problem"] == "줄바꿈이나 제어 문자는 쓸 수 없습니다."
    assert not PartnerReading.objects.exists()


@pytest.mark.parametrize(
    "consented_at",
    ["9999-12-31T00:00:00+09:00", "0001-01-01T00:00:00+09:00", "2099-01-01T00:00:00+09:00"],
)
def test_consent_date_in_the_future_or_outside_the_years_is_422(
    programme: Any, consented_at: str
) -> None:
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    body = _enrol_json("12가3456", "pilot-kim", "2014-10-15")
    body["consent"]["consented_at"] = consented_at
    answer = client.post(ENROL, body, content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert not Enrolment.objects.exists() and not Consent.objects.exists()


def test_consent_years_before_the_programme_are_refused_by_the_service(programme: Any) -> None:
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    body = _enrol_json("12가3456", "pilot-kim", "2014-10-15")
    body["consent"]["consented_at"] = "2010-05-01T10:00:00+09:00"
    answer = client.post(ENROL, body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "pilot.consent_required"
    assert "2014년부터" in answer.json()["message"]
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("given", ["yes", 1, "true"])
def test_consent_given_is_a_json_boolean_only(programme: Any, given: object) -> None:
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    body = _enrol_json("12가3456", "pilot-kim", "2014-10-15")
    body["consent"]["given"] = given
    assert client.post(ENROL, body, content_type="application/json").status_code == 422


def test_bank_holder_name_over_the_maximum_is_refused_not_cut(db: None) -> None:
    member = factories.mapo_citizen()
    client = Client()
    client.force_login(member)
    body = {"bank_name": "국민은행", "holder_name": "김" * 100_000, "number": "123456-01-234567"}
    answer = client.put("/api/v1/pilot/bank-account", body, content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert "50자 이하" in answer.json()["message"]
    page = client.post("/pilot/bank-account/", body)
    assert page.status_code == 400
    assert "예금주는 50자 이하로 입력해 주세요" in page.content.decode()
    assert not BankAccount.objects.exists()
    fits = client.put(
        "/api/v1/pilot/bank-account",
        {**body, "holder_name": "김" * 50},
        content_type="application/json",
    )
    assert fits.status_code == 200 and BankAccount.objects.get().holder_name == "김" * 50
