"""The batch front door: polars DataFrame or dict of numpy arrays in, the same rows plus the
eco-car outcome columns out (RULES-CLI names; null-out rules of RULES-CLI "A result")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from mileage.rules.batch.eco_car import (
    KINDS,
    NO_KIND,
    STATUSES,
    EcoCarColumns,
    evaluate_columns,
)
from mileage.rules.errors import InvalidCase
from mileage.rules.params import Parameters, default_parameters

REQUIRED = ("first_registered", "start_date", "start_km", "end_date", "end_km")
OPTIONAL = (
    "end_uploaded",
    "baseline_km_num",
    "baseline_km_den",
    "first_baseline_km_num",
    "first_baseline_km_den",
    "early_end",
    "void",
    "initial_uploaded",
    "cycle",
    "change_out_km",
    "change_in_km",
    "changed_before",
)
INPUT_COLUMNS = REQUIRED + OPTIONAL
DATE_COLUMNS = frozenset(
    {"first_registered", "start_date", "end_date", "end_uploaded", "initial_uploaded"}
)
BOOL_COLUMNS = frozenset({"early_end", "void", "changed_before"})
# Column names of the kernel's EcoCarColumns.
_KERNEL_NAME = {
    "start_date": "start",
    "end_date": "end",
    "baseline_km_num": "baseline_num",
    "baseline_km_den": "baseline_den",
    "first_baseline_km_num": "first_baseline_num",
    "first_baseline_km_den": "first_baseline_den",
}
OUTPUT_COLUMNS = (
    "end_on",
    "days",
    "baseline_km",
    "driven_km",
    "reduction_km",
    "reduction_pct",
    "status",
    "kind",
    "mileage",
    "table_award",
    "payment_on",
    "reasons",
    "baseline_km_num",
    "baseline_km_den",
    "first_baseline_km_num",
    "first_baseline_km_den",
    "next_baseline_km_num",
    "next_baseline_km_den",
    "next_changed_before",
)
STATUS_ENUM = pl.Enum(list(STATUSES))
KIND_ENUM = pl.Enum(list(KINDS))


RATIONAL_COLUMNS = frozenset(
    {"baseline_km_num", "baseline_km_den", "first_baseline_km_num", "first_baseline_km_den"}
)
CHANGE_COLUMNS = frozenset({"change_out_km", "change_in_km"})
NO_CHANGE = -1


def _from_polars(frame: pl.DataFrame, name: str) -> np.ndarray:
    """One column as numpy (zero-copy where polars allows it), nulls replaced as documented."""
    series = frame.get_column(name)
    if series.null_count():
        if name in RATIONAL_COLUMNS:
            series = series.fill_null(0)  # null: not given (first cycle / this row's baseline)
        elif name in CHANGE_COLUMNS:
            series = series.fill_null(NO_CHANGE)  # null: no vehicle change in this cycle
        elif name in BOOL_COLUMNS:
            series = series.fill_null(False)
        elif name in ("end_date", "end_uploaded") and series.dtype == pl.Date:
            series = series.to_physical().fill_null(0).cast(pl.Date)  # E-2: see end_missing
        else:
            row = int(series.is_null().arg_true()[0])
            raise InvalidCase(name, f"{row}행: 값이 없습니다 (null, not allowed here)")
    if name in DATE_COLUMNS:
        if series.dtype != pl.Date:
            raise InvalidCase(name, f"날짜 열이 아닙니다 (not a Date column: {series.dtype})")
        return series.to_physical().to_numpy()
    if name in BOOL_COLUMNS:
        if series.dtype != pl.Boolean:
            raise InvalidCase(name, f"참/거짓 열이 아닙니다 (not a Boolean column: {series.dtype})")
        return series.to_numpy()
    if not series.dtype.is_integer():
        raise InvalidCase(name, f"정수 열이 아닙니다 (not an integer column: {series.dtype})")
    return series.to_numpy().astype(np.int64, copy=False)


def _polars_nulls(frame: pl.DataFrame, name: str) -> np.ndarray | None:
    if name not in frame.columns or not frame.get_column(name).null_count():
        return None
    return frame.get_column(name).is_null().to_numpy()


def _from_numpy(array: Any, name: str) -> np.ndarray:
    array = np.asarray(array)
    if name in DATE_COLUMNS:
        if array.dtype.kind == "O":
            array = array.astype("datetime64[D]")
        if array.dtype.kind != "M":
            raise InvalidCase(name, f"날짜 배열이 아닙니다 (not datetime64: {array.dtype})")
        days = array.astype("datetime64[D]")
        nat = np.isnat(days)
        if nat.any() and name not in ("end_date", "end_uploaded"):
            raise InvalidCase(name, f"{_first(nat)}행: 값이 없습니다 (NaT, not allowed here)")
        return np.where(nat, 0, days.astype(np.int64)).astype(np.int32)
    if name in BOOL_COLUMNS:
        if array.dtype != np.bool_:
            raise InvalidCase(name, f"참/거짓 배열이 아닙니다 (not bool: {array.dtype})")
        return array
    if array.dtype.kind not in "iu":
        raise InvalidCase(name, f"정수 배열이 아닙니다 (not an integer array: {array.dtype})")
    return array.astype(np.int64, copy=False)


def _numpy_nulls(table: Mapping[str, Any], name: str) -> np.ndarray | None:
    if name not in table:
        return None
    array = np.asarray(table[name])
    if array.dtype.kind == "O":
        array = array.astype("datetime64[D]")
    nat = np.isnat(array) if array.dtype.kind == "M" else None
    return nat if nat is not None and nat.any() else None


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _columns(get: Any, nulls: Any, names: set[str], n: int) -> EcoCarColumns:
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InvalidCase(missing[0], "열이 없습니다 (missing column)")
    values: dict[str, Any] = {}
    for name in INPUT_COLUMNS:
        if name in names:
            array = get(name)
            if len(array) != n:
                raise InvalidCase(name, f"길이가 다릅니다 (length {len(array)}, expected {n})")
            values[_KERNEL_NAME.get(name, name)] = array
    for pair in (
        ("baseline_num", "baseline_den"),
        ("first_baseline_num", "first_baseline_den"),
        ("change_out_km", "change_in_km"),
    ):
        if (pair[0] in values) != (pair[1] in values):
            raise InvalidCase(pair[0], "두 열을 함께 주어야 합니다 (give both columns together)")
    # E-2: a null end date means an annual reading without capture or upload date (A+29);
    # then its upload date must be null too. A null upload date alone means "the end date".
    end_nulls, upload_nulls = nulls("end_date"), nulls("end_uploaded")
    if end_nulls is not None:
        both = end_nulls if upload_nulls is None else upload_nulls
        if "end_uploaded" in values and not np.array_equal(end_nulls, end_nulls & both):
            raise InvalidCase(
                "end_uploaded",
                f"{_first(end_nulls & ~both)}행: 촬영일이 없으면 업로드일도 비워야 합니다 "
                "(with a null end_date, end_uploaded must be null too, E-2)",
            )
        values["end_missing"] = end_nulls
    if upload_nulls is not None:
        values["end_uploaded"] = np.where(upload_nulls, values["end"], values["end_uploaded"])
    return EcoCarColumns(**values)


def evaluate_eco_car(
    table: pl.DataFrame | Mapping[str, Any], params: Parameters | None = None
) -> pl.DataFrame | dict[str, np.ndarray]:
    """ECO-5..12 over many cycles (one row each); see docs/rules.md "Batch API".

    A polars DataFrame gives a DataFrame: the input columns plus OUTPUT_COLUMNS, with nulls for
    void / not-evaluated rows as RULES-CLI says, ``status``/``kind`` as Enums and ``reasons`` as
    a UInt16 bit set (`reasons_list`). A dict of numpy arrays gives a dict: the inputs plus
    the outputs, where null is NaN (floats), NaT (``payment_on``), "" (``kind``).
    Bad input raises ``InvalidCase(column, "<row>행: ...")``; nothing is partly computed.
    """
    params = params or default_parameters()
    if isinstance(table, pl.DataFrame):
        cols = _columns(
            lambda name: _from_polars(table, name),
            lambda name: _polars_nulls(table, name),
            set(table.columns),
            table.height,
        )
        out = evaluate_columns(cols, params)
        return table.with_columns(_polars_outputs(out))
    n = len(next(iter(table.values()))) if table else 0
    cols = _columns(
        lambda name: _from_numpy(table[name], name),
        lambda name: _numpy_nulls(table, name),
        set(table),
        n,
    )
    out = evaluate_columns(cols, params)
    return {**table, **_numpy_outputs(out)}


def _polars_outputs(out: dict[str, np.ndarray]) -> list[pl.Series]:
    """Series over the kernel's arrays without copying them where polars allows; NaN (the
    kernel's null for shown values) becomes null, unpaid rows get null kind and payment_on."""
    series = [
        pl.Series("end_on", out["end_on"]).cast(pl.Date),
        pl.Series("days", out["days"]),
    ]
    for name in ("baseline_km", "driven_km", "reduction_km", "reduction_pct"):
        series.append(pl.Series(name, out[name], nan_to_null=True))
    not_paid = ~pl.Series(out["paid"])
    kind_codes = pl.Series(np.abs(out["kind"]), dtype=pl.UInt32)  # NO_KIND (-1) rows: unpaid
    series += [
        pl.Series("status", list(STATUSES), dtype=STATUS_ENUM).gather(out["status"]),
        pl.Series("kind", list(KINDS), dtype=KIND_ENUM).gather(kind_codes).set(not_paid, None),
        pl.Series("mileage", out["mileage"]),
        pl.Series("table_award", out["table_award"]),
        pl.Series("payment_on", out["payment_on"]).cast(pl.Date).set(not_paid, None),
        pl.Series("reasons", out["reasons"]),
    ]
    for name in OUTPUT_COLUMNS[-7:]:
        series.append(pl.Series(name, out[name]))
    return series


def _numpy_outputs(out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    result: dict[str, np.ndarray] = {
        "end_on": out["end_on"].astype("datetime64[D]"),
        "days": out["days"],
    }
    for name in ("baseline_km", "driven_km", "reduction_km", "reduction_pct"):
        result[name] = out[name]  # NaN already where the value is not shown
    result["status"] = np.array(STATUSES)[out["status"]]
    result["kind"] = np.where(out["kind"] == NO_KIND, "", np.array(KINDS)[out["kind"] % 2])
    result["mileage"] = out["mileage"]
    result["table_award"] = out["table_award"]
    payment = out["payment_on"].astype("datetime64[D]")
    payment[~out["paid"]] = np.datetime64("NaT")
    result["payment_on"] = payment
    result["reasons"] = out["reasons"]
    for name in OUTPUT_COLUMNS[-7:]:
        result[name] = out[name]
    return result
