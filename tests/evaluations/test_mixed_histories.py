"""ECO-7, ECO-11, ECO-13 through a run: multi-cycle, early-end and vehicle-change participations
(the columnar path and the general path) give exactly what the scalar rules engine gives."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.synthetic_vehicles import load
from mileage.accounts.districts import MAPO, district
from mileage.evaluations import services
from mileage.evaluations.models import Result
from mileage.ledger.checks import assert_books_balance
from mileage.readings.models import Photo, Reading
from mileage.readings.queries import approved_histories
from mileage.rules import evaluate
from mileage.vehicles.models import Vehicle
from tests.factories import mapo_citizen

from .conftest import WINDOW

pytestmark = pytest.mark.django_db
D = dt.date


def _vehicle(plate: str, registered: dt.date, previous: Vehicle | None = None, **extra) -> Vehicle:
    owner = mapo_citizen()
    return Vehicle.objects.create(
        owner=owner,
        plate=plate,
        kind="passenger",
        seats=5,
        use="private",
        fuel="gasoline",
        first_registered_on=registered,
        district=district(MAPO),
        previous=previous,
        **extra,
    )


def _read(vehicle: Vehicle, event: str, km: int, on: dt.date) -> None:
    photo = Photo.objects.get(sha256="0" * 64)
    Reading.objects.create(
        vehicle=vehicle,
        event=event,
        km=km,
        km_submitted=km,
        plate_photo=photo,
        dashboard_photo=photo,
        taken_on=on,
        uploaded_on=on,
        status="approved",
        submitted_by=vehicle.owner,
    )


def test_eco7_eco11_eco13_histories_match_the_scalar_engine(manager) -> None:
    load(1, WINDOW[0], tag="mix")  # also creates the shared synthetic photo
    two_cycles = _vehicle("11가1111", D(2015, 3, 1))
    _read(two_cycles, "initial", 80000, D(2023, 5, 10))
    _read(two_cycles, "annual", 86000, D(2024, 5, 10))
    _read(two_cycles, "annual", 97000, D(2025, 5, 12))
    no_regular_first = _vehicle("22가2222", D(2016, 6, 1))
    _read(no_regular_first, "initial", 50000, D(2023, 6, 1))
    _read(no_regular_first, "annual", 70000, D(2024, 6, 1))  # drove more: no regular award
    _read(no_regular_first, "annual", 75000, D(2025, 6, 2))
    ended = _vehicle(
        "33가3333", D(2012, 1, 5), status="ended", ended_on=D(2025, 5, 20), end_reason="transfer"
    )
    _read(ended, "initial", 120000, D(2024, 7, 1))
    _read(ended, "end", 126000, D(2025, 5, 20))
    old = _vehicle("44가4444", D(2014, 2, 2), status="changed", changed_on=D(2024, 11, 1))
    new = _vehicle("55가5555", D(2020, 2, 2), previous=old)
    _read(old, "initial", 60000, D(2024, 5, 15))
    _read(old, "change-out", 63000, D(2024, 11, 1))
    _read(new, "change-in", 30000, D(2024, 11, 2))
    _read(new, "annual", 33500, D(2025, 5, 16))

    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=2))
    ids = [two_cycles.pk, no_regular_first.pk, ended.pk, old.pk]
    stored = {
        (r.vehicle_id, r.cycle): r for r in Result.objects.filter(run=run, vehicle_id__in=ids)
    }
    assert {k[0] for k in stored} == set(ids)
    for history in approved_histories(ids):
        cycles = evaluate(history.case())["cycles"]
        for k, expected in enumerate(cycles, 1):
            if (history.vehicle_id, k) not in stored:
                continue
            got = stored[(history.vehicle_id, k)]
            assert (
                got.status,
                got.kind or None,
                got.mileage,
                got.reasons.split(","),
                got.baseline_km,
                got.driven_km,
            ) == (
                expected["status"],
                expected["kind"],
                expected["mileage"],
                expected["reasons"],
                expected["baseline_km"],
                expected["driven_km"],
            ), (history.plate, k)
    assert stored[(two_cycles.pk, 2)].cycle == 2 and (two_cycles.pk, 1) not in stored
    assert_books_balance()
