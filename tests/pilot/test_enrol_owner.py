"""PILOT-2 owner check (issue #13, finding 1): an insurer enrols a vehicle only for its registry
owner, proven by the policyholder's CI; never anyone else's car, never an account for a person
the registry does not name, and the same answer whether the person is unknown or staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mileage.accounts.models import User
from mileage.pilot.models import Consent, Enrolment, Programme
from mileage.vehicles.models import Vehicle
from tests import factories
from tests.pilot.conftest import ci, registry_row
from tests.pilot.test_api_end_to_end import _enrol_json

pytestmark = pytest.mark.django_db

ENROL = "/api/v1/pilot/enrolments"


def _post(client: Client, plate: str, member_ci: str) -> Any:
    body = _enrol_json(plate, "pilot-kim", "2014-10-15")
    body["member_ci"] = member_ci
    return client.post(ENROL, body, content_type="application/json")


def _nothing_written(programme: Any, users_before: int) -> None:
    assert not Enrolment.objects.exists() and not Consent.objects.exists()
    assert not Vehicle.objects.exists()
    assert User.objects.count() == users_before
    assert Programme.objects.get(pk=programme.pk).enrolled == 0


def test_pilot2_insurer_cannot_enrol_another_persons_car(programme: Any) -> None:
    """The probe: hanwha's key, pilot-kim's plate, another registry person's CI → refused, and the
    owner can still enrol their own car afterwards."""
    factories.person("pilot-lee")
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    users_before = User.objects.count()

    refused = _post(client, "12가3456", ci("pilot-lee"))

    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "pilot.owner_not_verified"
    assert "소유자" in refused.json()["message"]
    _nothing_written(programme, users_before)

    owner = _post(client, "12가3456", ci("pilot-kim"))
    assert owner.status_code == 201, owner.content
    enrolment = Enrolment.objects.get()
    assert enrolment.member.username == "pilot-kim" and enrolment.vehicle.owner.username == (
        "pilot-kim"
    )


def test_pilot2_unknown_person_gets_no_account(programme: Any) -> None:
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    users_before = User.objects.count()

    refused = _post(client, "12가3456", ci("someone-new"))

    assert refused.status_code == 400 and refused.json()["code"] == "pilot.owner_not_verified"
    assert not User.objects.filter(username="someone-new").exists()
    _nothing_written(programme, users_before)


def test_pilot2_username_is_not_an_identity(programme: Any) -> None:
    """The old contract (a username as `member_key`) is refused at the edge: no such field."""
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    body = _enrol_json("12가3456", "pilot-kim", "2014-10-15")
    del body["member_ci"]
    body["member_key"] = "pilot-kim"
    refused = client.post(ENROL, body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "request.invalid"
    assert not Enrolment.objects.exists()


def test_pilot2_staff_owner_and_unknown_person_get_the_same_answer(
    programme: Any, registry: Any
) -> None:
    """A registry owner whose identity key is a staff account is refused exactly like an unknown
    person, so an insurer cannot learn which staff accounts exist."""
    factories.mapo_official()
    with registry.open("a", encoding="utf-8") as handle:
        handle.write(
            registry_row(
                "44아4444", "mapo-official", "담당자", "passenger,5,private,lpg,2011-01-01,11440"
            )
            + "\n"
        )
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    users_before = User.objects.count()

    staff = _post(client, "44아4444", ci("mapo-official"))
    unknown = _post(client, "44아4444", ci("nobody-at-all"))

    assert staff.status_code == unknown.status_code == 400
    assert staff.json() == unknown.json()
    _nothing_written(programme, users_before)


def test_pilot2_a_malformed_ci_is_refused_at_the_edge(programme: Any) -> None:
    client = Client(headers={"X-API-Key": factories.api_key("insurer")[1]})
    refused = _post(client, "12가3456", "citizen-036")
    assert refused.status_code == 422
    assert not Enrolment.objects.exists()
