"""Synthetic eco-car cycles (fixed seed) for the benchmark and the scalar/batch agreement tests.

The rows are first cycles of enrolled vehicles, drawn so that every branch of ECO-5..ECO-11 is
common: cars under a year old (ECO-6 Seoul average, enrolled in 2023 so the 2022 average exists,
E-4), late annual uploads (ECO-5 void), early ends of 200..400 days (ECO-11: not evaluated,
pro-rated, void), reductions on both sides of zero (ECO-9 / ECO-10), uploads before and after
2023-05-01 (ECO-10 in force), and a vehicle change in some cycles (ECO-13).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from mileage.rules.batch import calendar

SEED = 20_240_501


def _day(text: str) -> int:
    return calendar.day_number(dt.date.fromisoformat(text))


def eco_car_cycles(n: int, seed: int = SEED, *, changes: bool = True) -> dict[str, np.ndarray]:
    """``n`` first cycles as numpy arrays (dates datetime64[D], km int64), columns of
    `evaluate_eco_car`."""
    rng = np.random.default_rng(seed)
    young = rng.random(n) < 0.1
    start = np.where(
        young,
        rng.integers(_day("2023-01-01"), _day("2023-12-31"), n),
        rng.integers(_day("2020-06-01"), _day("2024-12-31"), n),
    ).astype(np.int32)
    age = np.where(young, rng.integers(0, 365, n), rng.integers(366, 9000, n))
    registered = (start - age).astype(np.int32)
    initial_uploaded = (start + rng.integers(0, 4, n)).astype(np.int32)
    opens = calendar.add_years(initial_uploaded, 1)
    early = rng.random(n) < 0.12
    late = rng.random(n) < 0.08
    upload_annual = opens + np.where(late, rng.integers(30, 60, n), rng.integers(0, 30, n))
    end_annual = upload_annual - rng.integers(0, 6, n)
    end_early = start + rng.integers(200, 400, n)
    end = np.where(early, end_early, end_annual).astype(np.int32)
    uploaded = np.where(early, end_early + rng.integers(0, 3, n), upload_annual).astype(np.int32)
    # Odometers: the car's own yearly habit, then this cycle's driving around it.
    habit = rng.integers(3_000, 25_000, n)
    start_km = np.where(young, rng.integers(0, 3_000, n), habit * age // 365)
    days = (end - start).astype(np.int64)
    ratio = rng.normal(1.0, 0.35, n).clip(0.0, 3.0)
    driven = (habit * ratio * days / 365).astype(np.int64)
    # Exact boundaries: some cycles driven exactly the baseline (0 km reduction, ECO-9 tier 1).
    exact = (rng.random(n) < 0.02) & ~young
    whole = np.maximum(age, 1)
    driven = np.where(exact & (days * start_km % whole == 0), days * start_km // whole, driven)
    end_km = start_km + driven
    columns: dict[str, Any] = {
        "first_registered": registered,
        "start_date": start,
        "start_km": start_km.astype(np.int64),
        "end_date": end,
        "end_km": end_km.astype(np.int64),
        "end_uploaded": uploaded,
        "early_end": early,
        "initial_uploaded": initial_uploaded,
        "cycle": np.ones(n, dtype=np.int64),
    }
    if changes:
        change = rng.random(n) < 0.03
        out_km = start_km + driven // 2
        in_km = rng.integers(0, 50, n)
        columns["change_out_km"] = np.where(change, out_km, -1).astype(np.int64)
        columns["change_in_km"] = np.where(change, in_km, -1).astype(np.int64)
        columns["end_km"] = np.where(change, in_km + (driven - driven // 2), end_km)
    for name in ("first_registered", "start_date", "end_date", "end_uploaded", "initial_uploaded"):
        columns[name] = columns[name].astype("datetime64[D]")
    return columns


def as_cases(columns: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """The same cycles as RULES-CLI eco-car cases (initial + annual or end, ECO-13 legs)."""
    iso = {
        name: np.datetime_as_string(columns[name], unit="D").tolist()
        for name in (
            "first_registered",
            "start_date",
            "end_date",
            "end_uploaded",
            "initial_uploaded",
        )
    }
    start_km = columns["start_km"].tolist()
    end_km = columns["end_km"].tolist()
    early = columns["early_end"].tolist()
    out_km = columns.get("change_out_km")
    in_km = columns.get("change_in_km")
    outs = out_km.tolist() if out_km is not None else [-1] * len(start_km)
    ins = in_km.tolist() if in_km is not None else [-1] * len(start_km)
    cases = []
    for i in range(len(start_km)):
        readings: list[dict[str, Any]] = [
            {
                "event": "initial",
                "km": start_km[i],
                "taken": iso["start_date"][i],
                "uploaded": iso["initial_uploaded"][i],
            }
        ]
        if outs[i] >= 0:
            readings.append(
                {
                    "event": "change-out",
                    "km": outs[i],
                    "taken": iso["start_date"][i],
                    "uploaded": iso["initial_uploaded"][i],
                }
            )
            readings.append(
                {
                    "event": "change-in",
                    "km": ins[i],
                    "taken": iso["start_date"][i],
                    "uploaded": iso["initial_uploaded"][i],
                }
            )
        closing = {
            "event": "end" if early[i] else "annual",
            "km": end_km[i],
            "taken": iso["end_date"][i],
            "uploaded": iso["end_uploaded"][i],
        }
        readings.append(closing)
        case: dict[str, Any] = {
            "id": i,
            "program": "eco-car",
            "vehicle": {"first_registered": iso["first_registered"][i], "fuel": "gasoline"},
            "readings": readings,
        }
        if early[i]:
            case["ended"] = {"reason": "transfer", "on": iso["end_date"][i]}
        cases.append(case)
    return cases
