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

import logging
from typing import Any

import polars as pl

from mileage.core.parameters import current_parameters
from mileage.readings import queries
from mileage.rules.batch import reasons_list
from mileage.rules.batch.cases import cycle_frame, evaluate_cycles

log = logging.getLogger(__name__)


def evaluate_chunk(run: Any, first_id: int, last_id: int) -> pl.DataFrame:
    """The results (store.COLUMNS minus run and chunk) of the chunk's participations."""
    readings = queries.approved_readings_frame(first_id, last_id)
    # RULES-CLI: a history starts with its initial reading (not yet approved: nothing to do)
    readings = readings.filter(pl.col("event").first().over("vehicle_id") == "initial")
    cycles = cycle_frame(readings, key="vehicle_id")
    in_window = pl.col("end_uploaded").is_between(pl.lit(run.window_from), pl.lit(run.window_to))
    last = cycles.filter(in_window).group_by("vehicle_id").agg(last_cycle=pl.col("cycle").max())
    cycles = cycles.join(last, on="vehicle_id").filter(pl.col("cycle") <= pl.col("last_cycle"))
    if cycles.height == 0:
        return pl.DataFrame()
    voided = queries.voided_cycles_frame(first_id, last_id).with_columns(void=pl.lit(True))
    cycles = (
        cycles.drop("last_cycle")
        .join(voided, on=["vehicle_id", "cycle"], how="left")
        .with_columns(pl.col("void").fill_null(False))  # ECO-14: voided by an official
    )
    outcomes, refused = evaluate_cycles(cycles, current_parameters(), key="vehicle_id", refuse=True)
    for vehicle_id, problem in refused.items():
        log.warning("evaluation refused vehicle %s: %s", vehicle_id, problem)
    return _rows(outcomes.filter(in_window))


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
