"""Write a chunk's results set-based: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from django.db import connection

from . import fast

COLUMNS = fast.RESULT_COLUMNS  # one definition of the results table's column order


def write_results(run_id: int, chunk: int, rows: Sequence[dict] | pl.DataFrame) -> None:
    """Replace the chunk's results with `rows` (call inside the chunk's atomic block)."""
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM evaluations_result WHERE run_id = %s AND chunk = %s", [run_id, chunk]
        )
        if isinstance(rows, pl.DataFrame):
            fast.store(run_id, chunk, rows)
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
