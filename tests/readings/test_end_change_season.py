"""ECO-11 early end, ECO-13 vehicle change, ECO-15..17 seasonal readings, and the histories
the evaluations read (mileage.readings.queries) fed to the real rules engine."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage import rules
from mileage.readings import errors
from mileage.readings.queries import approved_histories
from mileage.readings.services import change_vehicle, end_participation
from mileage.vehicles.models import Vehicle
from tests.readings.support import approved, enrolled, photos, stored_files, submit, today

pytestmark = pytest.mark.django_db


def test_eco11_early_end_records_reason_date_and_end_reading(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 50_000, today(), 1))
    on = today() + dt.timedelta(days=280)
    reading = end_participation(
        vehicle.owner, vehicle, reason="transfer", ended_on=on, km=56_000, today=on, **photos(on, 2)
    )
    vehicle.refresh_from_db()
    assert (vehicle.status, vehicle.ended_on, vehicle.end_reason) == ("ended", on, "transfer")
    approved(reading)
    history = next(approved_histories([vehicle.pk]))
    case = history.case()
    assert [r["event"] for r in case["readings"]] == ["initial", "end"]
    assert case["ended"] == {"reason": "transfer", "on": on.isoformat()}
    result = rules.evaluate(case)
    assert result["cycles"][0]["days"] == 280 and result["cycles"][0]["status"] == "awarded"
    assert vehicle.cycles.get().end_reading == reading


def test_eco11_end_with_a_bad_photo_records_nothing(eco_settings) -> None:
    from tests.readings.support import upload

    vehicle = enrolled()
    approved(submit(vehicle, "initial", 50_000, today(), 1))
    files = stored_files(eco_settings)
    with pytest.raises(errors.PhotoNotAnImage):
        end_participation(
            vehicle.owner,
            vehicle,
            reason="deregistration",
            ended_on=today(),
            km=51_000,
            plate_photo=upload(b"x" * 99),
            dashboard_photo=upload(b"y" * 99),
        )
    vehicle.refresh_from_db()
    assert vehicle.status == "active" and stored_files(eco_settings) == files


def test_eco13_vehicle_change_records_both_readings_and_continues_the_participation(
    eco_settings,
) -> None:
    old = enrolled("12가3456")
    approved(submit(old, "initial", 50_000, today(), 1))
    on = today() + dt.timedelta(days=100)
    new = change_vehicle(
        old.owner,
        old,
        new_plate="44자5555",
        out_km=53_000,
        out_photos=tuple(photos(on, 2).values()),
        in_km=10_000,
        in_photos=tuple(photos(on, 3).values()),
        today=on,
    )
    old.refresh_from_db()
    assert old.status == "changed" and new.previous == old and new.status == "active"
    for reading in [
        *old.readings.filter(event="change-out"),
        *new.readings.filter(event="change-in"),
    ]:
        approved(reading)
    history = next(approved_histories([new.pk]))
    assert history.vehicle_id == old.pk and history.current_vehicle_id == new.pk
    assert [r.event for r in history.readings] == ["initial", "change-out", "change-in"]
    cycle = old.cycles.get()
    annual = submit(new, "annual", 14_000, cycle.window_opens_on, 4)
    approved(annual)
    history = next(approved_histories([old.pk]))
    result = rules.evaluate(history.case())
    assert len(result["cycles"]) == 1
    assert [c.number for c in history.cycles] == [1, 2]


def test_eco17_season_start_outside_its_window_is_refused_and_inside_accepted(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 50_000, today(), 1))
    year = today().year + 1
    with pytest.raises(errors.WindowNotOpen) as refused:
        submit(vehicle, "season-start", 51_000, dt.date(year, 11, 14), 2)
    assert f"{year}-11-15 ~ {year}-12-15" in refused.value.message
    start = approved(submit(vehicle, "season-start", 51_000, dt.date(year, 11, 20), 3))
    end = approved(submit(vehicle, "season-end", 52_000, dt.date(year + 1, 3, 20), 4))
    history = next(approved_histories([vehicle.pk]))
    assert [r.id for r in history.seasonal] == [start.pk, end.pk]
    (case,) = history.seasonal_cases()
    result = rules.evaluate(case)
    assert result["program"] == "eco-seasonal"


def test_histories_cover_many_vehicles_in_a_few_queries(
    eco_settings, django_assert_max_num_queries
) -> None:
    for seed, plate in enumerate(("12가3456", "34나5678")):
        approved(submit(enrolled(plate), "initial", 1000, today(), 10 + seed))
    with django_assert_max_num_queries(6):
        histories = list(approved_histories())
    assert len(histories) == 2 and all(len(h.readings) == 1 for h in histories)
    assert Vehicle.objects.count() == 2
