"""Write a chunk's results set-based: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from django.db import connection

COLUMNS = (
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


def write_results(run_id: int, chunk: int, rows: Sequence[dict] | pl.DataFrame) -> None:
    """Replace the chunk's results with `rows` (call inside the chunk's atomic block)."""
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM evaluations_result WHERE run_id = %s AND chunk = %s", [run_id, chunk]
        )
        if isinstance(rows, pl.DataFrame):
            _store_frame(run_id, chunk, rows)
            return
        if not rows:
            return
        values = [
            (
                run_id,
                chunk,
                *(r[c] for c in COLUMNS[2:16]),
                r.get("tier", r["mileage"]),
                *(r[c] for c in COLUMNS[17:]),
            )
            for r in rows
        ]
        names = ", ".join(COLUMNS)
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY evaluations_result ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cur.executemany(f"INSERT INTO evaluations_result ({names}) VALUES ({marks})", values)


def _store_frame(run_id: int, chunk: int, frame: pl.DataFrame) -> None:
    """Append the frame to the results table (after store.write_results cleared the chunk)."""
    if frame.is_empty():
        return
    frame = frame.select(pl.lit(run_id).alias("run_id"), pl.lit(chunk).alias("chunk"), pl.all())
    names = ", ".join(COLUMNS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            data = frame.select(COLUMNS).write_csv(include_header=False).encode()
            with cur.cursor.copy(
                f"COPY evaluations_result ({names}) FROM STDIN (FORMAT CSV)"
            ) as copy:
                copy.write(data)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cur.executemany(
                f"INSERT INTO evaluations_result ({names}) VALUES ({marks})",
                frame.select(COLUMNS).rows(),
            )
