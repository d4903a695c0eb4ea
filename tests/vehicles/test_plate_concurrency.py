"""ECO-1: a plate is enrolled at most once, also when two requests arrive at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from mileage.vehicles import errors
from mileage.vehicles.models import Vehicle
from mileage.vehicles.services import register_vehicle
from tests.factories import mapo_citizen


def test_eco1_plate_unique_constraint_holds_without_the_service_check(db, eco_settings) -> None:
    from django.db import IntegrityError, transaction

    first = register_vehicle(mapo_citizen(), "12가3456")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.create(
            owner=first.owner,
            plate=first.plate,
            kind="passenger",
            seats=5,
            use="private",
            fuel="gasoline",
            first_registered_on=first.first_registered_on,
            district=first.district,
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eco1_two_simultaneous_enrolments_of_one_plate_one_wins(eco_settings) -> None:
    citizen = mapo_citizen()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def enrol() -> None:
        try:
            barrier.wait()
            register_vehicle(citizen, "12가3456")
            outcomes.append("enrolled")
        except errors.PlateAlreadyEnrolled:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["enrolled", "refused"]
    assert Vehicle.objects.filter(plate="12가3456").count() == 1
