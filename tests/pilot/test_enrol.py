"""PILOT-1 cap, PILOT-2 eligibility and consent, through the enrolment service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mileage.core.parameters import current_parameters
from mileage.pilot import errors
from mileage.pilot.models import Consent, Enrolment, Method, Programme
from mileage.pilot.services.enrol import enrol
from mileage.vehicles.models import Vehicle
from tests import factories
from tests.pilot.conftest import CONSENT_WORDING, hicar, request

pytestmark = pytest.mark.django_db


def test_pilot1_enrolment_takes_the_next_slot_and_keeps_the_consent_wording_and_time(
    programme: Any,
) -> None:
    first = enrol(programme, factories.partner("insurer"), request())
    second = enrol(programme, factories.partner("other_insurer"), request("34나5678", "pilot-lee"))
    assert (first.slot, second.slot) == (1, 2)
    consent = first.consent
    assert consent.wording == CONSENT_WORDING
    assert consent.consented_at == dt.datetime(2014, 10, 15, 1, 30, tzinfo=dt.UTC)
    assert consent.member == first.member and first.member.username == "pilot-kim"
    assert Programme.objects.get(pk=programme.pk).enrolled == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"consent_given": False},
        {"consent_wording": "  "},
        {"consented_at": None},
    ],
    ids=["not-given", "no-wording", "no-time"],
)
def test_pilot2_consent_required_and_nothing_written(programme: Any, overrides: dict) -> None:
    with pytest.raises(errors.ConsentRequired) as caught:
        enrol(programme, factories.partner("insurer"), request(**overrides))
    assert "동의" in caught.value.message
    assert not Enrolment.objects.exists() and not Consent.objects.exists()
    assert not Vehicle.objects.exists()
    assert Programme.objects.get(pk=programme.pk).enrolled == 0


@pytest.mark.parametrize(
    ("plate", "member", "words"),
    [
        ("56다7890", "pilot-park", "비영업용"),
        ("78라1234", "pilot-choi", "10인승"),
        ("90마5678", "pilot-jung", "서울시"),
        ("99가9999", "nobody", "찾을 수 없습니다"),
    ],
    ids=["commercial", "eleven-seat-van", "outside-seoul", "not-in-registry"],
)
def test_pilot2_ineligible_vehicle_is_refused_with_the_reason(
    programme: Any, plate: str, member: str, words: str
) -> None:
    with pytest.raises(errors.NotEligible) as caught:
        enrol(programme, factories.partner("insurer"), request(plate, member))
    assert words in caught.value.message
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("contract_on", "accepted"),
    [
        (dt.date(2014, 9, 30), False),
        (dt.date(2014, 10, 1), True),
        (dt.date(2015, 3, 31), True),
        (dt.date(2015, 4, 1), False),
    ],
)
def test_pilot2_contract_must_be_dated_in_the_pilot_period(
    programme: Any, contract_on: dt.date, accepted: bool
) -> None:
    data = request(contract_on=contract_on)
    if accepted:
        assert enrol(programme, factories.partner("insurer"), data).contract_on == contract_on
    else:
        with pytest.raises(errors.ContractOutsidePeriod):
            enrol(programme, factories.partner("insurer"), data)


def test_pilot2_obd_only_through_the_insurer_that_offers_it(programme: Any) -> None:
    with pytest.raises(errors.MethodNotOffered) as caught:
        enrol(
            programme, factories.partner("insurer"), request(method=Method.OBD, obd_device_id="D1")
        )
    assert "사진" in caught.value.message
    done = enrol(programme, hicar(), request(method=Method.OBD, obd_device_id="OBD-1"))
    assert done.method == Method.OBD


def test_pilot1_a_vehicle_is_enrolled_once(programme: Any) -> None:
    enrol(programme, factories.partner("insurer"), request())
    with pytest.raises(errors.AlreadyEnrolled):
        enrol(programme, factories.partner("other_insurer"), request())
    assert Programme.objects.get(pk=programme.pk).enrolled == 1


def test_pilot1_partner_outside_the_programme_is_refused(programme: Any) -> None:
    with pytest.raises(errors.NotAParticipant):
        enrol(programme, factories.partner("walking_app"), request())


def test_pilot1_cap_refuses_the_next_enrolment_with_a_clear_message(programme: Any) -> None:
    lowered = current_parameters().with_overrides(
        {"pilot.max_vehicles": {"2014-10-01": {"value": 3, "source": "test: lowered cap"}}}
    )
    insurer = factories.partner("insurer")
    for n in range(3):
        enrol(programme, insurer, request(f"10가{n:04d}", f"cap-{n}"), params=lowered)
    with pytest.raises(errors.CapReached) as caught:
        enrol(programme, insurer, request("10가0003", "cap-3"), params=lowered)
    assert caught.value.status == 409
    assert "3대" in caught.value.message and "마감" in caught.value.message
    assert Enrolment.objects.count() == 3
    assert not Vehicle.objects.filter(plate="10가0003").exists()


def test_pilot1_shipped_cap_is_fifty_thousand() -> None:
    assert current_parameters().at("pilot.max_vehicles", dt.date(2014, 10, 1)) == 50_000
