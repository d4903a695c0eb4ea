"""Monthly range partitions of a PostgreSQL table (issue #12): `<table>_pYYYY_MM` for each month
and `<table>_default` for any row no month partition takes, so no insert ever fails.

    partition_by_month(cursor, "walking_stepreport", "on", ...)   # a migration: convert the table
    ensure_months(cursor, "walking_stepreport", "on", first, last)  # create what is missing

Only SQL on a table an app names: apps register their tables (e.g. `walking.partitions`), the
`ensure_partitions` command and beat task call `ensure_months` ahead of time. On SQLite (or a
table that is not partitioned) there is nothing to do and every function returns nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection


def month_start(on: dt.date) -> dt.date:
    return on.replace(day=1)


def add_months(on: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `on`'s month (negative: before)."""
    index = on.year * 12 + on.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from `first`'s to `last`'s, both included."""
    out, on = [], month_start(first)
    while on <= last:
        out.append(on)
        on = add_months(on, 1)
    return out


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_p{month.year:04d}_{month.month:02d}"


def default_name(table: str) -> str:
    return f"{table}_default"


def is_partitioned(cursor: Any, table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "WHERE c.relname = %s AND pg_table_is_visible(c.oid))",
        [table],
    )
    return bool(cursor.fetchone()[0])


def existing(cursor: Any, table: str) -> set[str]:
    """Names of the partitions attached to `table` now."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s AND pg_table_is_visible(p.oid)",
        [table],
    )
    return {name for (name,) in cursor.fetchall()}


def ensure_months(cursor: Any, table: str, column: str, first: dt.date, last: dt.date) -> list[str]:
    """Create the month partitions of [first's month, last's month] that are missing (and the
    DEFAULT partition); returns the names created. Idempotent. Rows already in the DEFAULT
    partition for a new month move into it in the same transaction (PostgreSQL refuses to attach
    a range the DEFAULT partition holds rows of), so the call never fails on them."""
    if not is_partitioned(cursor, table):
        return []
    created = []
    have = existing(cursor, table)
    quoted, col = connection.ops.quote_name(table), connection.ops.quote_name(column)
    default = default_name(table)
    if default not in have:
        cursor.execute(
            f"CREATE TABLE {connection.ops.quote_name(default)} PARTITION OF {quoted} DEFAULT"
        )
        created.append(default)
    for month in months(first, last):
        name = partition_name(table, month)
        if name in have:
            continue
        part, upper = connection.ops.quote_name(name), add_months(month, 1)
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(default)} "
            f"WHERE {col} >= %s AND {col} < %s)",
            [month, upper],
        )
        if not cursor.fetchone()[0]:
            cursor.execute(
                f"CREATE TABLE {part} PARTITION OF {quoted} FOR VALUES FROM (%s) TO (%s)",
                [month, upper],
            )
        else:  # move that month's rows out of DEFAULT, then attach the filled table
            cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                f"CREATE TABLE {part} (LIKE {quoted} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {connection.ops.quote_name(default)} "
                f"WHERE {col} >= %s AND {col} < %s RETURNING *) INSERT INTO {part} "
                "SELECT * FROM moved",
                [month, upper],
            )
            cursor.execute(
                f"ALTER TABLE {quoted} ATTACH PARTITION {part} FOR VALUES FROM (%s) TO (%s)",
                [month, upper],
            )
        created.append(name)
    return created


def partition_by_month(
    cursor: Any,
    table: str,
    column: str,
    *,
    primary_key: tuple[str, ...],
    indexes: dict[str, tuple[str, ...]],
    today: dt.date,
    back: int = 12,
    ahead: int = 3,
) -> None:
    """Convert a plain table into one PARTITION BY RANGE (column) with the same columns, checks,
    primary key (which must contain `column`) and indexes (name → columns), monthly partitions
    from `back` months before today's (or the oldest row's month, if older) to `ahead` months
    after (or the newest row's), a DEFAULT partition, and every row moved; the old table is
    dropped. In the caller's transaction (a migration's), under an exclusive lock."""
    if connection.vendor != "postgresql" or is_partitioned(cursor, table):
        return
    if column not in primary_key:
        raise ValueError("a partitioned table's primary key must contain the partition column")
    q = connection.ops.quote_name
    old = f"{table}_unpartitioned"
    cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
    cursor.execute(  # free the index and constraint names for the new table
        "SELECT i.relname, con.conname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass",
        [old],
    )
    for index, constraint in cursor.fetchall():
        spare = f"{index[:50]}_old"
        if constraint:
            cursor.execute(f"ALTER TABLE {q(old)} RENAME CONSTRAINT {q(constraint)} TO {q(spare)}")
        else:
            cursor.execute(f"ALTER INDEX {q(index)} RENAME TO {q(spare)}")
    cursor.execute(
        f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        f"PARTITION BY RANGE ({q(column)})"
    )
    cursor.execute(
        f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} "
        f"PRIMARY KEY ({', '.join(q(c) for c in primary_key)})"
    )
    for name, columns in indexes.items():
        cursor.execute(f"CREATE INDEX {q(name)} ON {q(table)} ({', '.join(q(c) for c in columns)})")
    cursor.execute(f"SELECT MIN({q(column)}), MAX({q(column)}) FROM {q(old)}")
    oldest, newest = cursor.fetchone()
    first = add_months(today, -back)
    last = add_months(today, ahead)
    ensure_months(cursor, table, column, min(first, oldest or first), max(last, newest or last))
    cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {q(old)}")
    cursor.execute(f"DROP TABLE {q(old)}")


def unpartition(cursor: Any, table: str) -> None:
    """The reverse of `partition_by_month`: one plain table with the same columns, checks,
    primary key and indexes, every row kept (a migration's backwards step)."""
    if not is_partitioned(cursor, table):
        return
    q = connection.ops.quote_name
    cursor.execute(  # the partitioned table's own (parent) indexes, to make again
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), con.conname, "
        "pg_get_constraintdef(con.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass",
        [table],
    )
    definitions = cursor.fetchall()
    plain = f"{table}_plain"
    cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(
        f"CREATE TABLE {q(plain)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(f"INSERT INTO {q(plain)} SELECT * FROM {q(table)}")
    cursor.execute(f"DROP TABLE {q(table)} CASCADE")  # with its partitions
    cursor.execute(f"ALTER TABLE {q(plain)} RENAME TO {q(table)}")
    for _, indexdef, constraint, condef in definitions:
        if constraint:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(constraint)} {condef}")
        else:
            cursor.execute(indexdef.replace(" ONLY ", " "))
