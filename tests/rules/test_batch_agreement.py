"""Property tests: the batch path and the scalar `mileage.rules.evaluate` agree on every output
field of random eco-car histories (C-4: both exact, so equal, not merely close)."""

from __future__ import annotations

import datetime as dt
import os
import random
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic_cycles import as_cases, eco_car_cycles
from mileage.rules import add_years, default_parameters, evaluate
from mileage.rules.arith import display
from mileage.rules.batch import evaluate_eco_car, reasons_list
from mileage.rules.batch.cases import evaluate_cases
from mileage.rules.batch.limits import MAX_DAYS, MAX_KM
from mileage.rules.eco.award import regular_award

# The issue asks for 100,000 random histories; BATCH_AGREEMENT_ROWS lowers it for quick runs.
ROWS = int(os.environ.get("BATCH_AGREEMENT_ROWS", "100000"))


def batch_cycles(
    columns: dict[str, np.ndarray], out: dict[str, np.ndarray]
) -> list[dict[str, Any]]:
    """Batch output arrays → RULES-CLI cycle dicts (None for NaN / NaT / "")."""

    def floats(name: str) -> list[float | None]:
        return [None if np.isnan(v) else v for v in out[name].tolist()]

    def dates(values: np.ndarray) -> list[str | None]:
        return [None if s == "NaT" else s for s in np.datetime_as_string(values, unit="D")]

    fields = {
        "start": dates(columns["start_date"]),
        "end": dates(out["end_on"]),
        "days": out["days"].tolist(),
        "baseline_km": floats("baseline_km"),
        "driven_km": floats("driven_km"),
        "reduction_km": floats("reduction_km"),
        "reduction_pct": floats("reduction_pct"),
        "status": out["status"].tolist(),
        "kind": [k or None for k in out["kind"].tolist()],
        "mileage": out["mileage"].tolist(),
        "payment_on": dates(out["payment_on"]),
        "reasons": [reasons_list(code) for code in out["reasons"].tolist()],
    }
    return [dict(zip(fields, row, strict=True)) for row in zip(*fields.values(), strict=True)]


def test_eco5_to_eco13_batch_equals_scalar_on_random_first_cycles() -> None:
    """ROWS random first cycles (seeded): batch once, scalar per row, every field equal."""
    columns = eco_car_cycles(ROWS, seed=2024)
    out = evaluate_eco_car(columns)
    assert isinstance(out, dict)
    got = batch_cycles(columns, out)
    statuses = set()
    mismatches = []
    for index, history in enumerate(as_cases(columns)):
        (expected,) = evaluate(history)["cycles"]
        statuses.add((expected["status"], expected["kind"]))
        if got[index] != expected:
            mismatches.append((index, expected, got[index]))
    assert not mismatches, mismatches[:3]
    # the draw reaches every outcome, so agreement is not agreement on one easy branch
    assert statuses >= {
        ("awarded", "regular"),
        ("awarded", "maintenance"),
        ("no-award", None),
        ("void", None),
        ("not-evaluated", None),
    }


def random_history(rng: random.Random, index: int) -> dict[str, Any]:
    """An eco-car case with 1..4 cycles: late uploads, early ends, E-2 nulls, vehicle changes."""
    registered = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(4500))
    initial = registered + dt.timedelta(days=rng.randrange(400, 3000))
    if rng.random() < 0.15:  # a car under a year old, enrolled in 2023 (the 2022 average, E-4)
        initial = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        registered = initial - dt.timedelta(days=rng.randrange(365))
    habit = rng.randrange(3000, 20000)
    km = habit * (initial - registered).days // 365
    readings: list[dict[str, Any]] = [
        {
            "event": "initial",
            "km": km,
            "taken": initial.isoformat(),
            "uploaded": initial.isoformat(),
        }
    ]
    history: dict[str, Any] = {
        "id": index,
        "program": "eco-car",
        "vehicle": {"first_registered": registered.isoformat(), "fuel": "gasoline"},
        "readings": readings,
    }
    previous = initial
    for k in range(1, rng.randrange(1, 5) + 1):
        opens = add_years(initial, k)  # ECO-5: A of cycle k
        if rng.random() < 0.1 and k > 1:  # early end
            end = previous + dt.timedelta(days=rng.randrange(250, 400))
            km += int(habit * rng.uniform(0.3, 1.6) * (end - previous).days / 365)
            readings.append(
                {"event": "end", "km": km, "taken": end.isoformat(), "uploaded": end.isoformat()}
            )
            history["ended"] = {"reason": "deregistration", "on": end.isoformat()}
            break
        if rng.random() < 0.08:  # vehicle change inside the cycle
            out_on = previous + dt.timedelta(days=rng.randrange(30, 200))
            km += rng.randrange(0, 8000)
            readings.append(
                {"event": "change-out", "km": km, "taken": None, "uploaded": out_on.isoformat()}
            )
            km = rng.randrange(0, 100)
            readings.append(
                {
                    "event": "change-in",
                    "km": km,
                    "taken": out_on.isoformat(),
                    "uploaded": out_on.isoformat(),
                }
            )
        uploaded = opens + dt.timedelta(days=rng.choice([0, 5, 29, 29, 30, 45]))
        taken = uploaded - dt.timedelta(days=rng.randrange(0, 4))
        days = (taken - previous).days
        km += int(habit * rng.uniform(0.3, 1.6) * days / 365)
        if rng.random() < 0.05:  # E-2: neither date
            readings.append({"event": "annual", "km": km, "taken": None, "uploaded": None})
            previous = opens + dt.timedelta(days=29)
        else:
            readings.append(
                {
                    "event": "annual",
                    "km": km,
                    "taken": taken.isoformat(),
                    "uploaded": uploaded.isoformat(),
                }
            )
            previous = taken
    return history


def test_eco7_multi_cycle_histories_chained_batch_equals_scalar() -> None:
    rng = random.Random(7)
    histories = [random_history(rng, i) for i in range(max(ROWS // 20, 200))]
    expected = [evaluate(history) for history in histories]
    assert evaluate_cases(histories) == expected
    reasons = {clause for result in expected for c in result["cycles"] for clause in c["reasons"]}
    assert reasons >= {"ECO-5", "ECO-6", "ECO-7", "ECO-9", "ECO-10", "ECO-11", "ECO-13", "ECO-14"}


# The city changes the numbers: new tier tables (one of them dated inside the histories), a
# different Seoul average and maintenance award. Both paths must follow the parameters alike.
OVERRIDES = {
    "eco.regular_km_tiers": {
        "2024-03-01": [
            {"from": 0, "mileage": 15000},
            {"from": 700, "mileage": 25000},
            {"from": 1800, "mileage": 45000},
            {"from": 3500, "mileage": 90000},
        ]
    },
    "eco.regular_pct_tiers": {
        "2000-01-01": [
            {"from": 0, "mileage": 10000},
            {"from": 5, "mileage": 35000},
            {"from": 25, "mileage": 60000},
        ]
    },
    "common.seoul_average_annual_km": {2022: 8700, 2023: 11950, 2024: 9400},
    "eco.maintenance_award": {"2025-01-01": 13000},
}


def test_eco5_to_eco13_batch_equals_scalar_with_overridden_parameters() -> None:
    """ECO-9 tiers, ECO-6/ECO-10 Seoul averages and the ECO-10 award overridden
    (`Parameters.with_overrides`): first cycles agree field by field, and the override shows."""
    params = default_parameters().with_overrides(OVERRIDES)
    columns = eco_car_cycles(max(ROWS // 5, 2000), seed=2025)
    out = evaluate_eco_car(columns, params)
    assert isinstance(out, dict)
    got = batch_cycles(columns, out)
    cases = as_cases(columns)
    mismatches, changed = [], 0
    for index, history in enumerate(cases):
        (expected,) = evaluate(history, params)["cycles"]
        if got[index] != expected:
            mismatches.append((index, expected, got[index]))
        changed += expected != evaluate(history)["cycles"][0]
    assert not mismatches, mismatches[:3]
    assert changed > len(cases) // 10  # the overrides decide many of the cycles
    assert {m for m in out["mileage"].tolist()} >= {10000, 13000, 35000}


def test_eco7_multi_cycle_histories_chained_batch_equals_scalar_with_overridden_parameters() -> (
    None
):
    params = default_parameters().with_overrides(OVERRIDES)
    rng = random.Random(77)
    histories = [random_history(rng, i) for i in range(max(ROWS // 40, 200))]
    expected = [evaluate(history, params) for history in histories]
    assert evaluate_cases(histories, params) == expected
    assert expected != [evaluate(history) for history in histories]
    mileages = {c["mileage"] for result in expected for c in result["cycles"]}
    assert mileages & {15000, 25000, 45000, 90000, 35000, 60000, 13000}


@settings(max_examples=300, deadline=None)
@given(
    num=st.integers(0, 365 * MAX_KM),
    den=st.integers(1, MAX_DAYS),
    start_km=st.integers(0, MAX_KM),
    driven=st.integers(0, MAX_KM),
    start_day=st.integers(0, 30_000),
    days=st.integers(1, 40_000),
)
def test_c4_e13_fed_back_baselines_decide_and_round_like_fractions(
    num: int, den: int, start_km: int, driven: int, start_day: int, days: int
) -> None:
    """ECO-7 baselines of any size within limits.py: tiers and display equal the exact rules."""
    driven = min(driven, MAX_KM - start_km)
    start = dt.date(2000, 1, 1) + dt.timedelta(days=start_day)  # tiers are dated from 2000
    end = start + dt.timedelta(days=days)
    frame = pl.DataFrame(
        {
            "first_registered": [dt.date(1940, 1, 1)],
            "start_date": [start],
            "start_km": [start_km],
            "end_date": [end],
            "end_km": [start_km + driven],
            "baseline_km_num": [num],
            "baseline_km_den": [den],
        }
    )
    got = evaluate_eco_car(frame).row(0, named=True)
    baseline = Fraction(num, den)
    annual = Fraction(driven * 365, days)
    reduction = baseline - annual
    pct = reduction / baseline * 100 if baseline else None
    assert got["baseline_km"] == display(baseline)
    assert got["driven_km"] == display(annual)
    assert got["reduction_km"] == display(reduction)
    assert got["reduction_pct"] == (None if pct is None else display(pct))
    if reduction >= 0:
        award = regular_award(reduction, pct, default_parameters(), end)
        assert got["mileage"] == award.mileage


def test_c4_e13_huge_rate_from_a_tiny_fed_back_baseline_rounds_like_fractions() -> None:
    """A rate of -136,924,800,823,766.67% (cents above 2**53): the batch's float must be the
    nearest double to the decimal, as the scalar `display` gives (found by Hypothesis)."""
    frame = pl.DataFrame(
        {
            "first_registered": [dt.date(1940, 1, 1)],
            "start_date": [dt.date(2000, 1, 1)],
            "start_km": [0],
            "end_date": [dt.date(2000, 1, 2)],
            "end_km": [5_284_108],
            "baseline_km_num": [15],
            "baseline_km_den": [10_649],
        }
    )
    got = evaluate_eco_car(frame).row(0, named=True)
    baseline = Fraction(15, 10_649)
    pct = (baseline - 5_284_108 * 365) / baseline * 100
    assert got["reduction_pct"] == display(pct) == -136_924_800_823_766.67


@settings(max_examples=3000, deadline=None)
@given(cents=st.integers(2**53, 2**63 - 1))
def test_e13_batch_cents_above_2_53_become_the_nearest_double(cents: int) -> None:
    from mileage.rules.batch.kernel import _cents_as_float

    assert _cents_as_float(np.int64(cents)) == cents / 100  # Python: correctly rounded
