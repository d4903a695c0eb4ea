"""Batch path (`mileage.rules.batch.evaluate_eco_car`) against the scalar path on the published
examples and hand-picked boundaries of ECO-5..ECO-13 (C-4 exactness, E-13 rounding)."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from mileage.rules import evaluate
from mileage.rules.arith import display
from mileage.rules.batch import evaluate_eco_car, reasons_list
from mileage.rules.batch.cases import cycle_frame, evaluate_cases, evaluate_cycles, readings_frame
from mileage.rules.batch.limits import MAX_DAYS, MAX_KM
from mileage.rules.errors import InvalidCase, MissingParameter

EXAMPLES = Path(__file__).parent / "data" / "rules-examples.jsonl"


def eco_examples() -> list[dict[str, Any]]:
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    examples = [json.loads(line) for line in lines if line.strip()]
    return [e for e in examples if e["case"]["program"] == "eco-car"]


def case(
    registered: str,
    readings: list[tuple[str, int, str | None, str | None]],
    ended: str | None = None,
) -> dict[str, Any]:
    """An eco-car case; readings as (event, km, taken, uploaded)."""
    built: dict[str, Any] = {
        "id": "t",
        "program": "eco-car",
        "vehicle": {"first_registered": registered, "fuel": "gasoline"},
        "readings": [
            {"event": event, "km": km, "taken": taken, "uploaded": uploaded}
            for event, km, taken, uploaded in readings
        ],
    }
    if ended:
        built["ended"] = {"reason": "transfer", "on": ended}
    return built


def batch_equals_scalar(history: dict[str, Any]) -> list[dict[str, Any]]:
    """Both paths on one case; they must agree field by field. Returns the cycles."""
    scalar = evaluate(history)
    (batch,) = evaluate_cases([history])
    assert batch == scalar
    return scalar["cycles"]


# A car registered two years (730 days) before its initial reading: ECO-6 baseline = km / 2.
def one_year(baseline_km: int, driven_km: int) -> dict[str, Any]:
    """ECO-6 baseline exactly `baseline_km`, then 365 days driving exactly `driven_km`."""
    start_km = 2 * baseline_km
    return case(
        "2021-03-01",
        [
            ("initial", start_km, "2023-03-01", "2023-03-01"),
            ("annual", start_km + driven_km, "2024-02-29", "2024-03-01"),
        ],
    )


@pytest.mark.parametrize("example", eco_examples(), ids=lambda e: e["case"]["id"][:40])
def test_eco5_to_eco12_published_examples_batch_equals_expected(example: dict[str, Any]) -> None:
    (batch,) = evaluate_cases([example["case"]])
    assert batch == example["expected"]


def test_eco7_two_cycles_chained_through_the_baseline_columns() -> None:
    (example,) = [e for e in eco_examples() if e["case"]["id"].startswith("ex4")]
    cycles = batch_equals_scalar(example["case"])
    assert [c["reasons"][1] for c in cycles] == ["ECO-6", "ECO-7"]
    assert cycles[1]["baseline_km"] == 9400.0


@pytest.mark.parametrize(
    ("baseline", "driven", "mileage"),
    [
        (5000, 4500, 30000),  # exactly 10 % (500 km): the pct table's second tier
        (10000, 9001, 20000),  # 9.99 % and 999 km: first tier
        (20000, 19000, 30000),  # exactly 1,000 km (5 %): the km table's second tier
        (20000, 19001, 20000),  # 999 km (4.995 %): first tier
        (5000, 3400, 70000),  # better of two: 1,600 km (30,000) but 32 % (70,000)
        (40000, 36000, 70000),  # better of two: 10 % (30,000) but 4,000 km (70,000)
        (10000, 10000, 20000),  # [interp] ECO-9: an exact 0 reduction is the first tier
    ],
)
def test_eco9_tier_boundaries_are_exact(baseline: int, driven: int, mileage: int) -> None:
    (cycle,) = batch_equals_scalar(one_year(baseline, driven))
    assert cycle["baseline_km"] == baseline
    assert cycle["driven_km"] == driven
    assert cycle["kind"] == "regular"
    assert cycle["mileage"] == mileage


@pytest.mark.parametrize(("driven", "mileage"), [(10183, 10000), (10184, 0)])
def test_eco10_maintenance_up_to_the_seoul_average_10183_km(driven: int, mileage: int) -> None:
    history = case(
        "2015-06-01",
        [
            ("initial", 40000, "2023-06-01", "2023-06-01"),
            ("annual", 40000 + driven, "2024-05-31", "2024-06-01"),  # 365 days
        ],
    )
    (cycle,) = batch_equals_scalar(history)
    assert cycle["driven_km"] == driven
    assert cycle["mileage"] == mileage
    assert cycle["status"] == ("awarded" if mileage else "no-award")
    assert cycle["reasons"][:2] == ["ECO-10", "ECO-9"]


@pytest.mark.parametrize(
    ("initial_on", "annual_uploaded", "mileage"),
    [
        ("2022-05-01", "2023-05-01", 10000),  # both dates on their first day: maintenance
        ("2022-04-30", "2023-05-01", 0),  # cycle started before 2022-05-01
        ("2022-04-29", "2023-04-30", 0),  # uploaded before 2023-05-01
    ],
)
def test_eco10_effective_dates(initial_on: str, annual_uploaded: str, mileage: int) -> None:
    history = case(
        "2015-06-01",
        [
            ("initial", 40000, initial_on, initial_on),
            ("annual", 49000, annual_uploaded, annual_uploaded),
        ],
    )
    (cycle,) = batch_equals_scalar(history)
    assert cycle["reduction_km"] < 0
    assert cycle["mileage"] == mileage


@pytest.mark.parametrize(
    ("end_on", "status", "mileage"),
    [
        ("2022-12-01", "not-evaluated", 0),  # 8 months 29 days
        ("2022-12-02", "awarded", None),  # 9 months exactly: evaluated and pro-rated
        ("2023-03-01", "awarded", None),  # a day short of a year: evaluated
        ("2023-03-02", "void", 0),  # a year: the annual reading was due (E-9)
    ],
)
def test_eco11_early_end_nine_months_and_a_year(
    end_on: str, status: str, mileage: int | None
) -> None:
    history = case(
        "2012-03-05",
        [("initial", 120000, "2022-03-02", "2022-03-02"), ("end", 126500, end_on, end_on)],
        ended=end_on,
    )
    (cycle,) = batch_equals_scalar(history)
    assert cycle["status"] == status
    assert cycle["reasons"][0] == "ECO-11"
    if status == "awarded":
        # ECO-11: floor(award × days / 365 / 10) × 10
        assert cycle["mileage"] == 70000 * cycle["days"] // 3650 * 10
    else:
        assert cycle["mileage"] == 0 and cycle["baseline_km"] is None


@pytest.mark.parametrize(
    ("end_on", "table_award"),
    [("2022-12-01", 0), ("2022-12-02", 70000), ("2023-03-01", 70000), ("2023-03-02", 0)],
)
def test_eco9_eco11_table_award_column_is_the_award_before_pro_rating(
    end_on: str, table_award: int
) -> None:
    """The kernel reports the ECO-9 table award behind a pro-rated ECO-11 mileage (0 when the
    cycle is not evaluated or void), so no tier table is needed outside the rules."""
    history = case(
        "2012-03-05",
        [("initial", 120000, "2022-03-02", "2022-03-02"), ("end", 126500, end_on, end_on)],
        ended=end_on,
    )
    out, _ = evaluate_cycles(cycle_frame(readings_frame([history])))
    row = out.row(0, named=True)
    assert row["table_award"] == table_award
    assert row["mileage"] == (table_award * row["days"] // 3650 * 10 if table_award else 0)
    full = evaluate_cycles(cycle_frame(readings_frame([one_year(10000, 6000)])))[0]
    assert full.select("table_award", "mileage").row(0) == (70000, 70000)  # no ECO-11: equal


def test_eco5_window_last_day_a_plus_29_and_late_upload_void() -> None:
    on_time = case(
        "2015-01-10",
        [("initial", 50000, "2023-01-10", "2023-01-10"), ("annual", 58000, None, "2024-02-08")],
    )
    late = case(
        "2015-01-10",
        [("initial", 50000, "2023-01-10", "2023-01-10"), ("annual", 58000, None, "2024-02-09")],
    )
    assert batch_equals_scalar(on_time)[0]["status"] != "void"
    (cycle,) = batch_equals_scalar(late)
    assert cycle["status"] == "void" and cycle["reasons"] == ["ECO-5", "ECO-14"]


def test_e2_annual_reading_without_dates_stands_at_a_plus_29() -> None:
    history = case(
        "2016-02-29",
        [
            ("initial", 50000, "2024-02-29", "2024-02-29"),
            ("annual", 58000, None, None),
            ("annual", 64000, "2026-03-01", "2026-03-01"),
        ],
    )
    cycles = batch_equals_scalar(history)
    assert cycles[0]["end"] == "2025-03-29"  # E-3: A = 2025-02-28, A+29
    assert cycles[1]["start"] == "2025-03-29"


def test_eco13_vehicle_change_adds_both_legs_and_keeps_the_first_baseline() -> None:
    history = case(
        "2016-04-01",
        [
            ("initial", 60000, "2022-04-01", "2022-04-01"),
            ("change-out", 63000, "2022-09-01", "2022-09-01"),
            ("change-in", 100, "2022-09-03", "2022-09-03"),
            ("annual", 3100, "2023-04-01", "2023-04-01"),
            ("annual", 9000, "2024-04-01", "2024-04-01"),
            ("annual", 16000, "2025-04-01", "2025-04-01"),
        ],
    )
    cycles = batch_equals_scalar(history)
    assert cycles[0]["driven_km"] == 6000.0
    assert "ECO-13" in cycles[0]["reasons"]
    assert cycles[1]["baseline_km"] == cycles[0]["baseline_km"] == cycles[2]["baseline_km"]


def test_e13_display_rounds_half_away_from_zero_from_the_rational() -> None:
    # A fed-back baseline of 1/8 km: 0.125 shows as 0.13 (a float round() would give 0.12).
    frame = pl.DataFrame(
        {
            "first_registered": [dt.date(2015, 1, 1)] * 2,
            "start_date": [dt.date(2023, 1, 1)] * 2,
            "start_km": [80000, 80000],
            "end_date": [dt.date(2024, 1, 1)] * 2,
            "end_km": [80000, 80000],
            "baseline_km_num": [1, 1],
            "baseline_km_den": [8, 1],
        }
    )
    out = evaluate_eco_car(frame)
    assert isinstance(out, pl.DataFrame)
    assert out["baseline_km"].to_list() == [display(Fraction(1, 8)), 1.0] == [0.13, 1.0]
    assert out["reduction_km"].to_list() == [0.13, 1.0]
    assert out["reasons"].map_elements(reasons_list, return_dtype=pl.List(pl.String)).to_list()[
        0
    ] == ["ECO-9", "ECO-7", "ECO-12"]


def test_c4_largest_inputs_stay_exact_in_int64() -> None:
    """limits.py: MAX_KM odometers, the widest date span and extreme fed-back baselines give
    what Fraction arithmetic gives (no int64 overflow in the largest intermediates)."""
    first, last = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
    span = (last - first).days
    rows = [  # (start, end, start_km, end_km, baseline num, den)
        (first, last, 0, MAX_KM, 1, MAX_DAYS),  # tiny baseline, most driving: pct ≈ -1e12 %
        (dt.date(2199, 12, 30), last, MAX_KM, MAX_KM, 365 * MAX_KM, 1),  # largest baseline
        (first, last, 0, 7, 365 * MAX_KM, MAX_DAYS),
    ]
    frame = pl.DataFrame(
        {
            "first_registered": [first] * 3,
            "start_date": [r[0] for r in rows],
            "start_km": [r[2] for r in rows],
            "end_date": [r[1] for r in rows],
            "end_km": [r[3] for r in rows],
            "baseline_km_num": [r[4] for r in rows],
            "baseline_km_den": [r[5] for r in rows],
        }
    )
    out = evaluate_eco_car(frame)
    assert isinstance(out, pl.DataFrame)
    for (start, end, start_km, end_km, num, den), got in zip(
        rows, out.iter_rows(named=True), strict=True
    ):
        days = (end - start).days
        assert days <= span
        baseline = Fraction(num, den)
        driven = Fraction((end_km - start_km) * 365, days)
        reduction = baseline - driven
        assert got["baseline_km"] == display(baseline)
        assert got["driven_km"] == display(driven)
        assert got["reduction_km"] == display(reduction)
        assert got["reduction_pct"] == display(reduction / baseline * 100)
    assert out["mileage"].to_list() == [0, 70000, 70000]


def test_c4_inputs_beyond_the_limits_are_refused_naming_the_column() -> None:
    frame = pl.DataFrame(
        {
            "first_registered": [dt.date(2015, 1, 1)] * 2,
            "start_date": [dt.date(2023, 1, 1)] * 2,
            "start_km": [1, 1],
            "end_date": [dt.date(2024, 1, 1)] * 2,
            "end_km": [5, MAX_KM + 1],
        }
    )
    with pytest.raises(InvalidCase) as refused:
        evaluate_eco_car(frame)
    assert refused.value.field == "end_km" and refused.value.problem.startswith("1행")


@pytest.mark.parametrize(
    ("column", "values", "field"),
    [
        ("end_km", [70000, 59999], "end_km"),  # odometer backwards (E-1)
        ("end_date", [dt.date(2024, 3, 15), dt.date(2023, 3, 12)], "end_date"),  # 0 days
        ("initial_uploaded", [dt.date(2023, 3, 12), dt.date(2023, 3, 20)], "end_uploaded"),  # < A
    ],
)
def test_e1_refused_rows_raise_and_return_nothing(
    column: str, values: list[Any], field: str
) -> None:
    data: dict[str, Any] = {
        "first_registered": [dt.date(2018, 5, 2)] * 2,
        "start_date": [dt.date(2023, 3, 12)] * 2,
        "start_km": [60000, 60000],
        "end_date": [dt.date(2024, 3, 15)] * 2,
        "end_km": [70000, 70000],
        "end_uploaded": [dt.date(2024, 3, 16)] * 2,
        "initial_uploaded": [dt.date(2023, 3, 12)] * 2,
    }
    data[column] = values
    with pytest.raises(InvalidCase) as refused:
        evaluate_eco_car(pl.DataFrame(data))
    assert refused.value.field == field
    assert "1행" in refused.value.problem


def test_e4_missing_seoul_average_for_a_young_car_is_an_error() -> None:
    young = {
        "first_registered": np.array(["2020-06-01"], dtype="datetime64[D]"),
        "start_date": np.array(["2021-03-01"], dtype="datetime64[D]"),
        "start_km": np.array([3000]),
        "end_date": np.array(["2022-03-01"], dtype="datetime64[D]"),
        "end_km": np.array([12000]),
    }
    with pytest.raises(MissingParameter) as missing:
        evaluate_eco_car(young)
    assert missing.value.key == 2020
    with pytest.raises(MissingParameter):
        evaluate(
            case(
                "2020-06-01",
                [
                    ("initial", 3000, "2021-03-01", "2021-03-01"),
                    ("annual", 12000, None, "2022-03-01"),
                ],
            )
        )


def test_numpy_dict_in_dict_out_with_nulls_as_nan_and_nat() -> None:
    (example,) = [e for e in eco_examples() if e["case"]["id"].startswith("ex5")]
    history = example["case"]
    first, annual = history["readings"]
    arrays = {
        "first_registered": np.array([history["vehicle"]["first_registered"]], "datetime64[D]"),
        "start_date": np.array([first["taken"]], "datetime64[D]"),
        "start_km": np.array([first["km"]]),
        "end_date": np.array([annual["taken"]], "datetime64[D]"),
        "end_km": np.array([annual["km"]]),
        "end_uploaded": np.array([annual["uploaded"]], "datetime64[D]"),
        "initial_uploaded": np.array([first["uploaded"]], "datetime64[D]"),
    }
    out = evaluate_eco_car(arrays)
    assert isinstance(out, dict)
    assert out["status"].tolist() == ["void"]
    assert np.isnan(out["baseline_km"][0]) and np.isnat(out["payment_on"][0])
    assert out["kind"].tolist() == [""] and out["mileage"].tolist() == [0]
    assert reasons_list(int(out["reasons"][0])) == ["ECO-5", "ECO-14"]


def test_e1_eco13_refusing_batch_leaves_out_only_the_refused_participations() -> None:
    """`evaluate_cycles(refuse=True)` (evaluation runs): a history whose odometer goes back in
    cycle 2, and one with two vehicle changes in a cycle, are left out with their error; the
    others are evaluated as the scalar path does. Without `refuse` the batch raises."""
    good = one_year(10000, 6000)
    back = case(
        "2021-03-01",
        [
            ("initial", 20000, "2023-03-01", "2023-03-01"),
            ("annual", 26000, "2024-02-29", "2024-03-01"),
            ("annual", 25000, "2025-02-28", "2025-03-01"),
        ],
    )
    twice = case(
        "2021-03-01",
        [
            ("initial", 20000, "2023-03-01", "2023-03-01"),
            ("change-out", 21000, None, "2023-05-01"),
            ("change-in", 10, "2023-05-01", "2023-05-01"),
            ("change-out", 500, None, "2023-07-01"),
            ("change-in", 20, "2023-07-01", "2023-07-01"),
            ("annual", 3000, "2024-02-29", "2024-03-01"),
        ],
    )
    cycles = cycle_frame(readings_frame([back, good, twice]))
    out, refused = evaluate_cycles(cycles, refuse=True)
    assert sorted(refused) == [0, 2]
    assert "E-1" in refused[0] and "one vehicle change" in refused[2]
    assert out.get_column("case").to_list() == [1]
    assert out.row(0, named=True)["mileage"] == evaluate(good)["cycles"][0]["mileage"]
    with pytest.raises(InvalidCase):
        evaluate_cycles(cycles)
