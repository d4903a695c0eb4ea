"""Eco-car boundaries through `evaluate`: ECO-10 dates and average, ECO-11 nine months,
ECO-4 photo age, ECO-5 windows and E-3 leap-day anniversaries."""

from __future__ import annotations

import pytest

from mileage.rules import InvalidCase, evaluate
from tests.rules.helpers import eco_case, only_cycle, reading

# A car whose first-cycle baseline is 7,994.52 km (64,000 km over 2,922 days, seed-like ex3).
REGISTERED = "2014-08-16"


@pytest.mark.parametrize(
    ("driven", "status", "mileage"), [(10183, "awarded", 10000), (10184, "no-award", 0)]
)
def test_eco10_maintenance_at_the_seoul_average_10183_but_not_10184(
    driven: int, status: str, mileage: int
) -> None:
    case = eco_case(
        REGISTERED,
        reading("initial", 64000, "2022-08-16"),
        reading("annual", 64000 + driven, "2023-08-16", "2023-08-18"),
    )
    cycle = only_cycle(case)
    assert (cycle["status"], cycle["mileage"], cycle["driven_km"]) == (
        status,
        mileage,
        float(driven),
    )


def _two_cycles(second_upload: str) -> dict:
    """Cycle 2 starts 2022-05-01; its annual window opens 2023-04-29."""
    return eco_case(
        "2014-04-29",
        reading("initial", 70000, "2021-04-29"),
        reading("annual", 80000, "2022-05-01"),
        reading("annual", 90000, "2023-04-29", second_upload),
    )


@pytest.mark.parametrize(
    ("upload", "kind", "mileage"), [("2023-04-30", None, 0), ("2023-05-01", "maintenance", 10000)]
)
def test_eco10_applies_to_annual_readings_uploaded_from_2023_05_01(
    upload: str, kind: str | None, mileage: int
) -> None:
    second = evaluate(_two_cycles(upload))["cycles"][1]
    assert second["start"] == "2022-05-01" and second["reduction_km"] < 0
    assert (second["kind"], second["mileage"]) == (kind, mileage)


@pytest.mark.parametrize(
    ("start", "kind", "mileage"), [("2022-04-30", None, 0), ("2022-05-01", "maintenance", 10000)]
)
def test_eco10_applies_to_cycles_starting_from_2022_05_01(
    start: str, kind: str | None, mileage: int
) -> None:
    case = eco_case(
        REGISTERED,
        reading("initial", 64000, start),
        reading("annual", 74000, "2023-04-30", "2023-05-01"),
    )
    cycle = only_cycle(case)
    assert cycle["reduction_km"] < 0
    assert (cycle["kind"], cycle["mileage"]) == (kind, mileage)


@pytest.mark.parametrize(
    ("end_on", "status", "days"),
    [("2022-12-01", "not-evaluated", 274), ("2022-12-02", "awarded", 275)],
)
def test_eco11_early_end_at_8_months_29_days_vs_9_months(
    end_on: str, status: str, days: int
) -> None:
    case = eco_case(
        "2012-03-05",
        reading("initial", 120000, "2022-03-02"),
        reading("end", 126500, end_on),
        ended={"reason": "transfer", "on": end_on},
    )
    cycle = only_cycle(case)
    assert (cycle["status"], cycle["days"]) == (status, days)


def test_eco11_early_end_after_300_days_prorates_70000_to_57530() -> None:
    case = eco_case(
        "2012-03-05",
        reading("initial", 120000, "2022-03-02"),
        reading("end", 126500, "2022-12-27"),
        ended={"reason": "deregistration", "on": "2022-12-27"},
    )
    assert only_cycle(case)["mileage"] == 57530


@pytest.mark.parametrize(("taken", "accepted"), [("2023-03-04", True), ("2023-03-03", False)])
def test_eco4_photo_183_days_old_is_accepted_184_refused(taken: str, accepted: bool) -> None:
    case = eco_case("2018-05-02", reading("initial", 52000, taken, "2023-09-03"))
    if accepted:
        assert evaluate(case)["cycles"] == []
    else:
        with pytest.raises(InvalidCase) as caught:
            evaluate(case)
        assert caught.value.field == "readings[0].taken"


def test_eco4_capture_after_upload_is_refused() -> None:
    case = eco_case("2018-05-02", reading("initial", 52000, "2023-03-13", "2023-03-12"))
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == "readings[0].taken"


@pytest.mark.parametrize(
    ("upload", "outcome"),
    [
        ("2025-02-27", "error"),
        ("2025-02-28", "awarded"),
        ("2025-03-29", "awarded"),
        ("2025-03-30", "void"),
    ],
)
def test_e3_initial_on_feb29_opens_the_window_on_feb28(upload: str, outcome: str) -> None:
    case = eco_case(
        "2015-01-01",
        reading("initial", 90000, "2024-02-29"),
        reading("annual", 95000, upload),
    )
    if outcome == "error":
        with pytest.raises(InvalidCase) as caught:
            evaluate(case)
        assert caught.value.field == "readings[1].uploaded"
    else:
        assert only_cycle(case)["status"] == outcome


def test_e3_fourth_anniversary_of_feb29_is_feb29() -> None:
    readings = [reading("initial", 90000, "2024-02-29")]
    for year, day in ((2025, "02-28"), (2026, "02-28"), (2027, "02-28"), (2028, "02-29")):
        readings.append(reading("annual", 90000 + 5000 * (year - 2024), f"{year}-{day}"))
    cycles = evaluate(eco_case("2015-01-01", *readings))["cycles"]
    assert [c["status"] for c in cycles] == ["awarded"] * 4
    assert cycles[3]["end"] == "2028-02-29"


def test_e1_a_cycle_of_zero_days_is_an_error() -> None:
    case = eco_case(
        "2015-01-01",
        reading("initial", 90000, "2023-03-01", "2023-03-01"),
        reading("annual", 95000, "2023-03-01", "2024-03-01"),
    )
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == "readings[1].taken"


def test_e7_change_out_must_be_followed_by_change_in() -> None:
    case = eco_case(
        "2015-01-01",
        reading("initial", 90000, "2023-03-01"),
        reading("change-out", 92000, "2023-06-01"),
        reading("annual", 95000, "2024-03-01"),
    )
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == "readings[1].event"


def test_eco7_later_cycle_keeps_first_baseline_after_maintenance() -> None:
    case = eco_case(
        REGISTERED,
        reading("initial", 64000, "2022-08-16"),
        reading("annual", 73500, "2023-08-16", "2023-08-18"),
        reading("annual", 80000, "2024-08-16", "2024-08-20"),
    )
    first, second = evaluate(case)["cycles"]
    assert first["kind"] == "maintenance"
    assert second["baseline_km"] == first["baseline_km"] == 7994.52
    assert second["reasons"][:2] == ["ECO-9", "ECO-7"]
