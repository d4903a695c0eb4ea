"""Eco-car reading histories through the batch path: readings → cycle rows → cycles chained.

The evaluation run and RULES-CLI cases take the same two steps:

    cycles = cycle_frame(readings, key="vehicle_id")   # the one split (eco/cycle.split_readings)
    out, refused = evaluate_cycles(cycles, params, key="vehicle_id", refuse=True)

`readings` is a polars frame, one row per reading in submission order, grouped by `key`:
`first_registered` (Date), `event` (RULES-CLI eco-car event), `km` (Int64), `taken` and
`uploaded` (Date; both null for an E-2 annual reading); further columns (the participant's
owner, district, plate ...) are carried onto the cycle rows from each cycle's closing reading.

`evaluate_cycles` is the one ECO-7 chaining loop of the batch path: cycle 1 of every
participation in one batch, then cycle 2 with the ECO-7 baselines (and the E-6 "changed
before") the first batch returned, and so on.

`evaluate_cases(cases)` gives the same `{"id", "program", "cycles"}` results as the scalar
`mileage.rules.evaluate` for well-formed eco-car histories (at most one vehicle change per
cycle). It assumes cases the scalar path accepts: a malformed case makes the whole batch raise
(a batch never half-evaluates), so validate single cases with `evaluate` first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numba
import numpy as np
import polars as pl

from mileage.rules.batch.eco_car import reasons_list
from mileage.rules.batch.frame import evaluate_eco_car
from mileage.rules.eco.cycle import END, EVENT_CODES, Split, split_readings
from mileage.rules.errors import InvalidCase, MissingParameter
from mileage.rules.params import Parameters

READING_SCHEMA = {
    "first_registered": pl.Date,
    "event": pl.Utf8,
    "km": pl.Int64,
    "taken": pl.Date,
    "uploaded": pl.Date,
}
NO_CHANGE = -1  # change_out_km / change_in_km of a cycle without a vehicle change
ONE_CHANGE = "한 주기의 차량 변경은 한 번까지 일괄 평가합니다 (batch: one vehicle change per cycle)"
_ROW = re.compile(r"^(\d+)행")
# The rules' one readings→cycles split (eco/cycle.py), compiled for many participations at once.
_split_readings = numba.njit(cache=True, nogil=True)(split_readings)


def cycle_frame(readings: pl.DataFrame, key: str = "case") -> pl.DataFrame:
    """ECO-5 / ECO-13 / E-7: one batch row per closed cycle (`split_readings`), with the
    columns `evaluate_eco_car` takes plus `key`, `changes` and the carried columns."""
    if readings.height == 0:
        return pl.DataFrame(schema={key: readings.schema.get(key, pl.Int64), **_CYCLE_SCHEMA})
    codes = readings.get_column("event").replace_strict(EVENT_CODES, return_dtype=pl.Int8)
    km = readings.get_column("km").to_numpy().astype(np.int64, copy=False)
    group = readings.get_column(key).to_numpy()
    split = Split.empty(readings.height, lambda zeros: np.zeros(len(zeros), dtype=np.int64))
    count = _split_readings(group, codes.to_numpy(), km, *split.arrays())
    split = Split(*(array[:count] for array in split.arrays()))
    effective = readings.select(pl.coalesce("taken", "uploaded")).to_series()  # C-1
    uploaded = readings.get_column("uploaded")
    carried = [c for c in readings.columns if c not in READING_SCHEMA or c == "first_registered"]
    end = pl.Series(split.end)
    start = pl.Series(split.start)
    return (
        readings.select(carried)
        .gather(end)
        .with_columns(
            start_date=effective.gather(start),
            start_km=pl.Series(km[split.start]),
            end_date=effective.gather(end),
            end_km=pl.Series(km[split.end]),
            end_uploaded=uploaded.gather(end),
            early_end=pl.Series(codes.to_numpy()[split.end] == END),
            initial_uploaded=uploaded.gather(pl.Series(split.first)),
            cycle=pl.Series(split.number, dtype=pl.Int64),
            change_out_km=pl.Series(
                np.where(split.change_out >= 0, km[split.change_out], NO_CHANGE)
            ),
            change_in_km=pl.Series(np.where(split.change_in >= 0, km[split.change_in], NO_CHANGE)),
            changes=pl.Series(split.changes, dtype=pl.Int64),
        )
    )


_CYCLE_SCHEMA = {
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
    "changes": pl.Int64,
}


def evaluate_cycles(
    cycles: pl.DataFrame,
    params: Parameters | None = None,
    *,
    key: str = "case",
    refuse: bool = False,
) -> tuple[pl.DataFrame, dict[Any, str]]:
    """ECO-5..14 over `cycle_frame` rows, cycle 1 first, then each later cycle with the ECO-7
    baseline its previous cycle's outcome gives (the batch path's one chaining loop).

    Returns the rows with `evaluate_eco_car`'s outputs, and the participations refused. With
    `refuse=False` a bad row raises (nothing is returned half-evaluated); with `refuse=True` a
    participation whose row the engine refuses (InvalidCase, MissingParameter), or with two
    vehicle changes in one cycle, is left out (all its cycles) with its error text, and the
    rest evaluated.
    """
    refused: dict[Any, str] = {}
    many = cycles.filter(pl.col("changes") > 1)
    if many.height:
        if not refuse:
            raise InvalidCase("readings", ONE_CHANGE)
        refused.update(dict.fromkeys(many.get_column(key).to_list(), ONE_CHANGE))
    parts: list[pl.DataFrame] = []
    carried: pl.DataFrame | None = None
    for number in range(1, (cycles.get_column("cycle").max() or 0) + 1):  # type: ignore[operator]
        part = cycles.filter(pl.col("cycle") == number).drop("changes")
        if refused:
            part = part.filter(~pl.col(key).is_in(list(refused)))
        if carried is not None:  # ECO-7: the previous outcome gives this cycle's baseline
            part = part.join(carried, on=key, how="inner").with_columns(
                start_date=pl.coalesce("start_date", "previous_end")  # E-2: A+29 of the last
            )
            part = part.drop("previous_end")
        if refuse:
            out = _evaluate_refusing(part, params, key, refused)
        else:
            out = evaluate_eco_car(part, params)
        if out is None or out.height == 0:
            break
        assert isinstance(out, pl.DataFrame)
        parts.append(out)
        carried = out.select(
            key,
            baseline_km_num="next_baseline_km_num",
            baseline_km_den="next_baseline_km_den",
            first_baseline_km_num="first_baseline_km_num",
            first_baseline_km_den="first_baseline_km_den",
            changed_before="next_changed_before",
            previous_end="end_on",
        )
    if not parts:
        empty = evaluate_eco_car(cycles.drop("changes").clear(), params)
        assert isinstance(empty, pl.DataFrame)
        return empty, refused
    out = pl.concat(parts, how="diagonal_relaxed")
    if refused:  # none of a refused participation's cycles, not even the earlier ones
        out = out.filter(~pl.col(key).is_in(list(refused)))
    return out, refused


def _evaluate_refusing(
    part: pl.DataFrame, params: Parameters | None, key: str, refused: dict[Any, str]
) -> pl.DataFrame | None:
    """`evaluate_eco_car`, leaving out the participation of each refused row in turn."""
    while part.height:
        try:
            out = evaluate_eco_car(part, params)
        except (InvalidCase, MissingParameter) as error:
            problem = getattr(error, "problem", "") or str(error).split(": ", 1)[-1]
            match = _ROW.match(problem)
            bad = part.get_column(key)[int(match.group(1)) if match else 0]
            refused[bad] = str(error)
            part = part.filter(pl.col(key) != bad)
            continue
        assert isinstance(out, pl.DataFrame)
        return out
    return None


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def readings_frame(cases: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """RULES-CLI eco-car cases as the readings frame `cycle_frame` takes (`case` = position)."""
    rows = [
        (index, _date(case["vehicle"]["first_registered"]), r["event"], r["km"],
         _date(r.get("taken")), _date(r.get("uploaded")))
        for index, case in enumerate(cases)
        for r in case["readings"]
    ]  # fmt: skip
    return pl.DataFrame(rows, schema={"case": pl.Int64, **READING_SCHEMA}, orient="row")


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
    """The RULES-CLI results of eco-car cases, through `cycle_frame` and `evaluate_cycles`."""
    results: list[dict[str, Any]] = [
        {"id": case.get("id"), "program": "eco-car", "cycles": []} for case in cases
    ]
    out, _ = evaluate_cycles(cycle_frame(readings_frame(cases)), params)
    for row in out.sort("case", "cycle").iter_rows(named=True):
        results[row["case"]]["cycles"].append(_cycle_dict(row))
    return results
