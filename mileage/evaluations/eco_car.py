"""ECO-5..14 for one chunk of an eco-car run: read the frame → evaluate (rules batch) → rows.

    readings = readings.queries.approved_readings_frame(first, last)   # one SQL statement
    cycles   = rules.batch.cases.cycle_frame(readings)                # the rules' one split
    outcomes = rules.batch.cases.evaluate_cycles(cycles, refuse=True) # kernel + ECO-7 chaining

Every participation takes the same path (multi-cycle, early ends, vehicle changes alike). A
participation contributes the cycles up to the last one whose closing reading was uploaded in
the run's window (earlier ones give the ECO-7 baselines); the rows returned are those in the
window. A participation the engine refuses is logged and left out of the chunk.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import polars as pl

from mileage.core.parameters import current_parameters
from mileage.readings import queries
from mileage.rules.batch import reasons_list
from mileage.rules.batch.cases import cycle_frame, evaluate_cycles
from mileage.rules.params import Parameters

log = logging.getLogger(__name__)


def evaluate_chunk(run: Any, first_id: int, last_id: int) -> pl.DataFrame:
    """The results (store.COLUMNS minus run and chunk) of the chunk's participations."""
    cycles = window_cycles(run.window_from, run.window_to, first_id, last_id)
    if cycles.height == 0:
        return pl.DataFrame()
    return _rows(in_window_outcomes(cycles, current_parameters(), run.window_from, run.window_to))


def window_cycles(
    window_from: dt.date, window_to: dt.date, first_id: int, last_id: int
) -> pl.DataFrame:
    """The cycles a run over the window evaluates for participations [first_id, last_id]: each
    participation's cycles up to its last one closed in the window (earlier ones give the ECO-7
    baselines), with ECO-14's `void`. Read once; the budget what-if evaluates it twice."""
    readings = queries.approved_readings_frame(first_id, last_id)
    # RULES-CLI: a history starts with its initial reading (not yet approved: nothing to do)
    readings = readings.filter(pl.col("event").first().over("vehicle_id") == "initial")
    cycles = cycle_frame(readings, key="vehicle_id")
    last = (
        cycles.filter(_in_window(window_from, window_to))
        .group_by("vehicle_id")
        .agg(last_cycle=pl.col("cycle").max())
    )
    cycles = cycles.join(last, on="vehicle_id").filter(pl.col("cycle") <= pl.col("last_cycle"))
    if cycles.height == 0:
        return cycles.drop("last_cycle")
    voided = queries.voided_cycles_frame(first_id, last_id).with_columns(void=pl.lit(True))
    return (
        cycles.drop("last_cycle")
        .join(voided, on=["vehicle_id", "cycle"], how="left")
        .with_columns(pl.col("void").fill_null(False))  # ECO-14: voided by an official
    )


def in_window_outcomes(
    cycles: pl.DataFrame, params: Parameters, window_from: dt.date, window_to: dt.date
) -> pl.DataFrame:
    """ECO-5..14 over `window_cycles` with these parameters: the outcomes of the cycles closed
    in the window (the rules batch path's columns). Refused participations are logged, left out."""
    outcomes, refused = evaluate_cycles(cycles, params, key="vehicle_id", refuse=True)
    for vehicle_id, problem in refused.items():
        log.warning("evaluation refused vehicle %s: %s", vehicle_id, problem)
    return outcomes.filter(_in_window(window_from, window_to))


def _in_window(window_from: dt.date, window_to: dt.date) -> pl.Expr:
    return pl.col("end_uploaded").is_between(pl.lit(window_from), pl.lit(window_to))


def _rows(done: pl.DataFrame) -> pl.DataFrame:
    if done.height == 0:
        return pl.DataFrame()
    codes = done.get_column("reasons").unique().to_list()
    reasons = pl.DataFrame(
        {"reasons": codes, "reason_text": [",".join(reasons_list(c)) for c in codes]},
        schema={"reasons": done.get_column("reasons").dtype, "reason_text": pl.Utf8},
    )
    done = done.join(reasons, on="reasons", how="left")
    return done.select(
        "vehicle_id",
        "owner_id",
        "district_code",
        "plate",
        "cycle",
        pl.col("start_date").alias("start_on"),
        pl.col("end_date").alias("end_on"),
        "days",
        "baseline_km",
        "driven_km",
        "reduction_km",
        "reduction_pct",
        pl.col("status").cast(pl.Utf8),
        pl.col("kind").cast(pl.Utf8).fill_null(""),
        # the table award behind a pro-rated one (the kernel's `table_award`), for the tier report
        pl.when(pl.col("mileage") > 0).then(pl.col("table_award")).otherwise(0).alias("tier"),
        "mileage",
        "payment_on",
        pl.col("reason_text").alias("reasons"),
        pl.format("eco-car:vehicle:{}:cycle:{}", "vehicle_id", "cycle").alias("key"),
    )
