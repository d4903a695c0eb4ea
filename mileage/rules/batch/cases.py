"""RULES-CLI eco-car cases through the batch path: one row per cycle, cycles chained by number.

`evaluate_cases(cases)` gives the same `{"id", "program", "cycles"}` results as the scalar
`mileage.rules.evaluate` for well-formed eco-car histories (at most one vehicle change per cycle),
evaluating cycle 1 of every case in one batch, then cycle 2 with the ECO-7 baselines the first
batch returned, and so on. It assumes cases the scalar path accepts: a malformed case makes the
whole batch raise (a batch never half-evaluates), so validate single cases with `evaluate` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from mileage.rules.batch.eco_car import reasons_list
from mileage.rules.batch.frame import evaluate_eco_car
from mileage.rules.errors import InvalidCase
from mileage.rules.params import Parameters

_SCHEMA = {
    "case": pl.Int64,
    "first_registered": pl.Date,
    "start_date": pl.Date,
    "start_km": pl.Int64,
    "end_date": pl.Date,
    "end_km": pl.Int64,
    "end_uploaded": pl.Date,
    "early_end": pl.Boolean,
    "initial_uploaded": pl.Date,
    "cycle": pl.Int64,
    "change_out_km": pl.Int64,
    "change_in_km": pl.Int64,
}


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def cycle_rows(case: Mapping[str, Any], index: int = 0) -> list[dict[str, Any]]:
    """ECO-5 / ECO-13 / E-7: the batch rows (one per closed cycle) of one eco-car case."""
    readings = case["readings"]
    registered = _date(case["vehicle"]["first_registered"])
    initial = readings[0]
    initial_uploaded = _date(initial.get("uploaded"))
    start = initial
    rows: list[dict[str, Any]] = []
    change_out = change_in = None
    for reading in readings[1:]:
        event = reading["event"]
        if event == "change-out":
            if change_out is not None:
                raise InvalidCase("readings", "batch: one vehicle change per cycle")
            change_out = reading["km"]
        elif event == "change-in":
            change_in = reading["km"]
        else:
            taken, uploaded = _date(reading.get("taken")), _date(reading.get("uploaded"))
            rows.append(
                {
                    "case": index,
                    "first_registered": registered,
                    "start_date": _date(start.get("taken")) or _date(start.get("uploaded")),
                    "start_km": start["km"],
                    "end_date": taken or uploaded,
                    "end_km": reading["km"],
                    "end_uploaded": uploaded,
                    "early_end": event == "end",
                    "initial_uploaded": initial_uploaded,
                    "cycle": len(rows) + 1,
                    "change_out_km": change_out,
                    "change_in_km": change_in,
                }
            )
            start = reading
            change_out = change_in = None
    return rows


def _cycle_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    def iso(value: dt.date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "start": iso(row["start_date"]),
        "end": iso(row["end_on"]),
        "days": row["days"],
        "baseline_km": row["baseline_km"],
        "driven_km": row["driven_km"],
        "reduction_km": row["reduction_km"],
        "reduction_pct": row["reduction_pct"],
        "status": row["status"],
        "kind": row["kind"],
        "mileage": row["mileage"],
        "payment_on": iso(row["payment_on"]),
        "reasons": reasons_list(row["reasons"]),
    }


def evaluate_cases(
    cases: Sequence[Mapping[str, Any]], params: Parameters | None = None
) -> list[dict[str, Any]]:
    """The RULES-CLI results of eco-car cases, computed by `evaluate_eco_car` cycle by cycle."""
    rows = [row for index, case in enumerate(cases) for row in cycle_rows(case, index)]
    results: list[dict[str, Any]] = [
        {"id": case.get("id"), "program": "eco-car", "cycles": []} for case in cases
    ]
    if not rows:
        return results
    frame = pl.DataFrame(rows, schema=_SCHEMA, orient="row")
    carried: pl.DataFrame | None = None
    number = 1
    while True:
        part = frame.filter(pl.col("cycle") == number)
        if part.height == 0:
            break
        if carried is not None:
            part = part.join(carried, on="case", how="left").with_columns(
                start_date=pl.coalesce("start_date", "previous_end")  # E-2: A+29 of the last
            )
            part = part.drop("previous_end")
        out = evaluate_eco_car(part, params)
        assert isinstance(out, pl.DataFrame)
        for row in out.iter_rows(named=True):
            results[row["case"]]["cycles"].append(_cycle_dict(row))
        carried = out.select(
            "case",
            baseline_km_num="next_baseline_km_num",
            baseline_km_den="next_baseline_km_den",
            first_baseline_km_num="first_baseline_km_num",
            first_baseline_km_den="first_baseline_km_den",
            changed_before="next_changed_before",
            previous_end="end_on",
        )
        number += 1
    return results
