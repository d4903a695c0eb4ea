"""The set-based hot path of a run (ECO-5..12): participations of one vehicle with only
`initial` and `annual` readings — the vast majority — go from SQL to polars columns to the rules
engine's batch path and back to the results table without a Python object per row.

- PostgreSQL: `COPY (SELECT ...) TO STDOUT` → polars → `COPY ... FROM STDIN` (CSV).
- SQLite: the same SELECT fetched into polars, rows written with executemany.
Everything else (early ends, vehicle changes, chains) takes `cycles.py`, which gives the same
answers (tests/evaluations compare both with the scalar engine).
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from django.db import connection

from mileage.rules.batch import evaluate_eco_car, reasons_list

# Cycle k of a simple participation: the k-th annual reading closes it, the one before opens it.
_CYCLES = """
WITH r AS (
  SELECT r.vehicle_id, r.event, r.km, COALESCE(r.taken_on, r.uploaded_on) AS eff, r.uploaded_on,
         ROW_NUMBER() OVER w - 1 AS k,
         LAG(r.km) OVER w AS start_km,
         LAG(COALESCE(r.taken_on, r.uploaded_on)) OVER w AS start_on,
         FIRST_VALUE(r.uploaded_on) OVER w AS initial_uploaded,
         FIRST_VALUE(r.event) OVER w AS first_event
  FROM readings_reading r
  WHERE r.status = 'approved' AND r.vehicle_id BETWEEN {first} AND {last}
    AND r.event IN ('initial', 'annual', 'end', 'change-out', 'change-in')
  WINDOW w AS (PARTITION BY r.vehicle_id ORDER BY r.id)
)
SELECT v.id AS vehicle_id, v.owner_id, d.code AS district_code, v.plate,
       v.first_registered_on AS first_registered, r.k AS cycle, r.start_on AS start_date,
       r.start_km, r.eff AS end_date, r.km AS end_km, r.uploaded_on AS end_uploaded,
       r.initial_uploaded, CASE WHEN c.voided_at IS NULL THEN 0 ELSE 1 END AS void
FROM r
JOIN vehicles_vehicle v ON v.id = r.vehicle_id
JOIN accounts_district d ON d.id = v.district_id
LEFT JOIN readings_cycle c ON c.vehicle_id = v.id AND c.number = r.k
WHERE r.k >= 1 AND r.first_event = 'initial' AND v.previous_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM vehicles_vehicle s WHERE s.previous_id = v.id)
  AND NOT EXISTS (SELECT 1 FROM readings_reading o WHERE o.vehicle_id = v.id
                  AND o.status = 'approved' AND o.event IN ('end', 'change-out', 'change-in'))
ORDER BY v.id, r.k
"""
DATES = ("first_registered", "start_date", "end_date", "end_uploaded", "initial_uploaded")
RESULT_COLUMNS = (
    "run_id",
    "chunk",
    "vehicle_id",
    "owner_id",
    "district_code",
    "plate",
    "cycle",
    "start_on",
    "end_on",
    "days",
    "baseline_km",
    "driven_km",
    "reduction_km",
    "reduction_pct",
    "status",
    "kind",
    "tier",
    "mileage",
    "payment_on",
    "reasons",
    "key",
)


def _read(first: int, last: int) -> pl.DataFrame:
    sql = _CYCLES.format(first=int(first), last=int(last))
    schema = {
        "vehicle_id": pl.Int64,
        "owner_id": pl.Int64,
        "district_code": pl.Utf8,
        "plate": pl.Utf8,
        "first_registered": pl.Utf8,
        "cycle": pl.Int64,
        "start_date": pl.Utf8,
        "start_km": pl.Int64,
        "end_date": pl.Utf8,
        "end_km": pl.Int64,
        "end_uploaded": pl.Utf8,
        "initial_uploaded": pl.Utf8,
        "void": pl.Int64,
    }
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL work_mem = '64MB'")  # the window sort of a chunk in memory
            buffer = io.BytesIO()
            with cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV)") as copy:
                for block in copy:
                    buffer.write(block)
            buffer.seek(0)
            frame = (
                pl.read_csv(
                    buffer, has_header=False, new_columns=list(schema), schema_overrides=schema
                )
                if buffer.getbuffer().nbytes
                else None
            )
        else:
            cur.execute(sql)
            rows = cur.fetchall()
            frame = (
                pl.DataFrame(
                    [[str(v) if isinstance(v, dt.date) else v for v in row] for row in rows],
                    schema=schema,
                    orient="row",
                )
                if rows
                else None
            )
    if frame is None:
        frame = pl.DataFrame(schema=schema)
    return frame.with_columns([pl.col(c).str.to_date() for c in DATES])


def evaluate_range(first: int, last: int, window_from: dt.date, window_to: dt.date) -> pl.DataFrame:
    """Results (RESULT_COLUMNS minus run_id/chunk) for the simple participations in range."""
    cycles = _read(first, last)
    in_window = pl.col("end_uploaded").is_between(pl.lit(window_from), pl.lit(window_to))
    last_k = (
        cycles.filter(in_window).group_by("vehicle_id").agg(pl.col("cycle").max().alias("last_k"))
    )
    cycles = cycles.join(last_k, on="vehicle_id").filter(pl.col("cycle") <= pl.col("last_k"))
    cycles = cycles.with_columns(pl.col("void").cast(pl.Boolean), pl.lit(False).alias("early_end"))
    outputs, carry = [], None
    for k in range(1, (cycles["cycle"].max() or 0) + 1):
        rows = cycles.filter(pl.col("cycle") == k)
        if carry is not None:  # ECO-7: this cycle's baseline comes from the previous outcome
            rows = rows.join(carry, on="vehicle_id")
        out = evaluate_eco_car(rows.drop("last_k"))
        carry = out.select(
            "vehicle_id",
            pl.col("next_baseline_km_num").alias("baseline_km_num"),
            pl.col("next_baseline_km_den").alias("baseline_km_den"),
            pl.col("first_baseline_km_num"),
            pl.col("first_baseline_km_den"),
        )
        outputs.append(
            out.filter(pl.col("end_uploaded").is_between(pl.lit(window_from), pl.lit(window_to)))
        )
    if not outputs:
        return pl.DataFrame()
    done = pl.concat(outputs, how="diagonal_relaxed")
    codes = done["reasons"].unique().to_list()
    reasons = pl.DataFrame(
        {"reasons": codes, "reason_text": [",".join(reasons_list(c)) for c in codes]},
        schema={"reasons": done["reasons"].dtype, "reason_text": pl.Utf8},
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
        pl.col("mileage").alias("tier"),
        "mileage",
        "payment_on",
        pl.col("reason_text").alias("reasons"),
        pl.format("eco-car:vehicle:{}:cycle:{}", "vehicle_id", "cycle").alias("key"),
    )


def store(run_id: int, chunk: int, frame: pl.DataFrame) -> None:
    """Append the frame to the results table (after store.write_results cleared the chunk)."""
    if frame.is_empty():
        return
    frame = frame.select(pl.lit(run_id).alias("run_id"), pl.lit(chunk).alias("chunk"), pl.all())
    names = ", ".join(RESULT_COLUMNS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            data = frame.select(RESULT_COLUMNS).write_csv(include_header=False).encode()
            with cur.cursor.copy(
                f"COPY evaluations_result ({names}) FROM STDIN (FORMAT CSV)"
            ) as copy:
                copy.write(data)
        else:
            marks = ", ".join(["%s"] * len(RESULT_COLUMNS))
            cur.executemany(
                f"INSERT INTO evaluations_result ({names}) VALUES ({marks})",
                frame.select(RESULT_COLUMNS).rows(),
            )


def combine(rows: list[dict], frame: pl.DataFrame) -> pl.DataFrame:
    """The general path's row dicts and the columnar results as one frame (RESULT_COLUMNS[2:])."""
    if not rows:
        return frame
    general = pl.DataFrame(rows).select(RESULT_COLUMNS[2:])
    if frame.is_empty():
        return general
    return pl.concat([frame.select(RESULT_COLUMNS[2:]), general], how="vertical_relaxed")
