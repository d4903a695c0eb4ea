"""ECO-1 eligibility through the registry adapter; ECO-2 walk-in enrolment; one plate once."""

from __future__ import annotations

import pytest

from mileage.core.models import AuditEntry
from mileage.vehicles import errors
from mileage.vehicles.models import Status, Vehicle
from mileage.vehicles.services import register_vehicle
from tests.factories import jung_citizen, mapo_centre_official, mapo_citizen, mapo_official, person

pytestmark = pytest.mark.django_db


def test_eco1_seoul_private_passenger_car_of_the_owner_is_enrolled(eco_settings) -> None:
    citizen = mapo_citizen()
    vehicle = register_vehicle(citizen, "12 가 3456")
    assert vehicle.plate == "12가3456"
    assert (vehicle.kind, vehicle.seats, vehicle.use, vehicle.fuel) == (
        "passenger",
        5,
        "private",
        "gasoline",
    )
    assert vehicle.district.code == "11440" and vehicle.status == Status.ACTIVE
    assert AuditEntry.objects.get(vehicle=vehicle).action == "vehicle.register"


def test_eco1_van_with_11_seats_is_eligible(eco_settings) -> None:
    assert register_vehicle(mapo_citizen(), "34나5678").kind == "van"


@pytest.mark.parametrize(
    ("plate", "reason"),
    [
        ("56다7890", "비사업용 차량만"),
        ("90마1111", "승용차와 승합차만"),
        ("33아4444", "승차정원 12인 이하"),
        ("11바2222", "서울시에 등록된 차량만"),
        ("22사3333", "대표 소유자만"),
        ("78라1234", "본인 명의의 차량만"),
        ("99허9999", "찾을 수 없습니다"),
    ],
)
def test_eco1_ineligible_vehicle_is_refused_with_the_korean_reason(
    eco_settings, plate, reason
) -> None:
    with pytest.raises(errors.NotEligible) as refused:
        register_vehicle(mapo_citizen(), plate)
    assert reason in refused.value.message
    assert not Vehicle.objects.exists()


def test_eco1_a_malformed_plate_is_refused() -> None:
    with pytest.raises(errors.BadPlate):
        register_vehicle(mapo_citizen(), "ABC-123")


def test_eco1_a_plate_already_enrolled_is_refused(eco_settings) -> None:
    register_vehicle(mapo_citizen(), "12가3456")
    with pytest.raises(errors.PlateAlreadyEnrolled):
        register_vehicle(mapo_citizen(), "12가3456")
    assert Vehicle.objects.count() == 1


def test_eco1_a_plate_can_be_enrolled_again_after_its_participation_ended(eco_settings) -> None:
    vehicle = register_vehicle(mapo_citizen(), "12가3456")
    Vehicle.objects.filter(pk=vehicle.pk).update(
        status=Status.ENDED, ended_on="2024-01-01", end_reason="transfer"
    )
    assert register_vehicle(mapo_citizen(), "12가3456").pk != vehicle.pk


def test_eco2_walk_in_enrolment_by_the_district_official_is_recorded(eco_settings) -> None:
    vehicle = register_vehicle(mapo_citizen(), "12가3456", actor=mapo_official())
    assert vehicle.channel == "walk-in" and vehicle.registered_by == mapo_official()
    assert AuditEntry.objects.get(vehicle=vehicle).action == "vehicle.walk_in"


def test_eco2_community_centre_official_may_take_a_walk_in_outside_seodaemun(eco_settings) -> None:
    assert (
        register_vehicle(mapo_citizen(), "12가3456", actor=mapo_centre_official()).channel
        == "walk-in"
    )


def test_eco2_seodaemun_walk_in_only_at_the_district_office(eco_settings, tmp_path) -> None:
    from tests.readings.support import REGISTRY_ROWS, write_registry

    rows = [
        *REGISTRY_ROWS,
        (
            "55차6666",
            "sdm-citizen",
            "박서대",
            "passenger",
            5,
            "private",
            "gasoline",
            "2018-01-01",
            "11410",
            "",
            "",
        ),
    ]
    eco_settings.VEHICLE_REGISTRY_PATH = str(write_registry(tmp_path / "r2.csv", rows))
    citizen = person("sdm-citizen", district_code="11410")
    centre = person(
        "sdm-centre", role="official", district_code="11410", community_centre="신촌동 주민센터"
    )
    office = person("sdm-office", role="official", district_code="11410")
    with pytest.raises(errors.WalkInNotAllowed) as refused:
        register_vehicle(citizen, "55차6666", actor=centre)
    assert "서대문구는 구청에서만" in refused.value.message
    assert register_vehicle(citizen, "55차6666", actor=office).channel == "walk-in"


def test_eco2_walk_in_for_another_districts_vehicle_is_refused(eco_settings) -> None:
    from tests.factories import jung_official

    with pytest.raises(errors.WalkInNotAllowed):
        register_vehicle(mapo_citizen(), "12가3456", actor=jung_official())
    assert jung_citizen() and not Vehicle.objects.exists()
