"""The floor of a batch run: the time PostgreSQL needs just to COPY the rows the run wrote.

    marks = floor.mark(TABLES)                      # before the run: each table's highest id
    ... the run ...
    rows = floor.written(TABLES, marks, extra)      # after: what it wrote, table by table
    seconds = floor.measure(rows, say=print)

`measure` copies the written rows out (binary COPY into a temporary file, not timed), creates
a fresh table of the same shape for each (`CREATE TABLE … (LIKE … INCLUDING ALL)`: columns,
defaults, constraints, indexes; no triggers) and times loading them back with COPY FROM STDIN
in one transaction with its commit; then it drops the fresh tables. A run that only inserted
its rows, with nothing else to decide or look up, could not be faster than that.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.db import connection, transaction

BLOCK = 1 << 20


def mark(tables: Sequence[str]) -> dict[str, int]:
    """The highest id of each table (tables with an integer `id`)."""
    marks = {}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks[table] = cur.fetchone()[0]
    return marks


def written(marks: dict[str, int], extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(table, WHERE clause) of the rows written since `marks`, plus `extra` ones (e.g. a
    table keyed otherwise, `("walking_dayaccrual", "run_id = 7")`)."""
    return [*((t, f"id > {int(m)}") for t, m in marks.items()), *extra]


def count(rows: Sequence[tuple[str, str]]) -> dict[str, int]:
    with connection.cursor() as cur:
        out = {}
        for table, where in rows:
            cur.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}")
            out[table] = cur.fetchone()[0]
        return out


def measure(rows: Sequence[tuple[str, str]], say: Callable[[str], None] = print) -> float:
    """Seconds to COPY the same rows into fresh tables of the same shape (PostgreSQL)."""
    if connection.vendor != "postgresql":
        raise SystemExit("the floor is measured on PostgreSQL")
    counts = count(rows)
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
        files = {}
        with connection.cursor() as cur:
            for table, where in rows:
                files[table] = Path(tmp) / f"{table}.bin"
                with (
                    files[table].open("wb") as out,
                    cur.cursor.copy(
                        f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT (FORMAT binary)"
                    ) as copy,
                ):
                    for block in copy:
                        out.write(block)
                cur.execute(f"DROP TABLE IF EXISTS floor_{table}")
                cur.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
        try:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cur:
                for table, path in files.items():
                    with (
                        path.open("rb") as src,
                        cur.cursor.copy(f"COPY floor_{table} FROM STDIN (FORMAT binary)") as copy,
                    ):
                        while block := src.read(BLOCK):
                            copy.write(block)
            took = time.perf_counter() - started
        finally:
            with connection.cursor() as cur:
                for table in files:
                    cur.execute(f"DROP TABLE IF EXISTS floor_{table}")
    shown = ", ".join(f"{table} {n:,}" for table, n in counts.items())
    say(f"  floor: COPY of {sum(counts.values()):,} rows ({shown}) in {took:.2f} s")
    return took
