"""A chunk's rows under both parameter sets → a small summary (JSON), and the chunks' summaries
added up. Nothing here reads or writes the database.

    part = summarise(current_rows, proposed_rows)   # per chunk, kept on its SimulationChunk
    summary = merge(parts)                          # the Simulation's result

Members gaining, losing or staying are counted per participation (a member's enrolled car with
its changes, ECO-13), the unit a run evaluates and pays."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

SIDES = ("current", "proposed")
# The rows a chunk gives per parameter set: one per evaluated cycle (a pilot enrolment: one).
ROW_SCHEMA = {
    "vehicle_id": pl.Int64,
    "district_code": pl.Utf8,
    "status": pl.Utf8,
    "kind": pl.Utf8,
    "tier": pl.Int64,
    "mileage": pl.Int64,
}


def _totals(rows: pl.DataFrame) -> dict[str, int]:
    return {
        "cycles": rows.height,
        "awarded": int((rows.get_column("status") == "awarded").sum()) if rows.height else 0,
        "mileage": int(rows.get_column("mileage").sum()) if rows.height else 0,
    }


def _by(rows: pl.DataFrame, keys: list[str], *, awarded_only: bool = False) -> dict[str, Any]:
    if awarded_only:
        rows = rows.filter(pl.col("status") == "awarded")
    if rows.height == 0:
        return {}
    grouped = rows.group_by(keys).agg(
        cycles=pl.len(),
        awarded=(pl.col("status") == "awarded").sum(),
        mileage=pl.col("mileage").sum(),
    )
    out: dict[str, Any] = {}
    for row in grouped.iter_rows(named=True):
        key = "|".join(str(row[k]) for k in keys)
        out[key] = {name: int(row[name]) for name in ("cycles", "awarded", "mileage")}
    return out


def _members(current: pl.DataFrame, proposed: pl.DataFrame) -> dict[str, int]:
    per = [
        rows.group_by("vehicle_id").agg(pl.col("mileage").sum().alias(side))
        for rows, side in zip((current, proposed), SIDES, strict=True)
    ]
    joined = per[0].join(per[1], on="vehicle_id", how="full", coalesce=True).fill_null(0)
    delta = joined.get_column("proposed") - joined.get_column("current")
    return {
        "gain": int((delta > 0).sum()),
        "lose": int((delta < 0).sum()),
        "same": int((delta == 0).sum()),
        "gained": int(delta.clip(lower_bound=0).sum()),
        "lost": int(-delta.clip(upper_bound=0).sum()),
    }


def _side_by_side(current: dict[str, Any], proposed: dict[str, Any]) -> dict[str, Any]:
    zero = {"cycles": 0, "awarded": 0, "mileage": 0}
    return {
        key: {"current": current.get(key, zero), "proposed": proposed.get(key, zero)}
        for key in sorted(set(current) | set(proposed))
    }


def summarise(current: pl.DataFrame, proposed: pl.DataFrame) -> dict[str, Any]:
    """One chunk: totals, by district, by tier (awarded cycles by kind and table award) and the
    participations gaining / losing / staying, current and proposed side by side."""
    return {
        "current": _totals(current),
        "proposed": _totals(proposed),
        "districts": _side_by_side(
            _by(current, ["district_code"]), _by(proposed, ["district_code"])
        ),
        "tiers": _side_by_side(
            _by(current, ["kind", "tier"], awarded_only=True),
            _by(proposed, ["kind", "tier"], awarded_only=True),
        ),
        "members": _members(current, proposed),
    }


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        return {key: _add(a.get(key), b.get(key)) for key in sorted(set(a) | set(b))}
    return (a or 0) + (b or 0)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=ROW_SCHEMA)


def merge(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The chunks' summaries added up, key by key (all zero without any)."""
    total: dict[str, Any] = summarise(empty(), empty())
    for part in parts:
        total = _add(total, part)
    return total
