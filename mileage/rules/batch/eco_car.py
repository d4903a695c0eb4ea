"""ECO-5..13: eco-car cycles evaluated column-wise (exact int64), one row per cycle.

`evaluate_columns` takes plain numpy arrays (dates as int32 day numbers) and returns numpy arrays;
the polars/dict front door is `mileage.rules.batch.evaluate_eco_car`. It checks the whole batch
with cheap reductions (ranges of every column, `limits.py`), reads the dated parameters once
(`eco_params.py`), turns every date-dependent value into a small per-day lookup table over the
dates the batch holds (C-5 one-year-after, ECO-6 Seoul average, ECO-10 maintenance, E-5 average
in force, ECO-12 payment day, ECO-5 window), and then runs the compiled loop `kernel.eco_car_rows`
over the rows, which decides every cycle with integer cross-multiplication only (C-4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numba
import numpy as np

from mileage.rules.batch import calendar, kernel, limits
from mileage.rules.batch.eco_params import (
    MAINTENANCE_AWARD,
    MAINTENANCE_START,
    NO_VALUE,
    SEOUL_AVERAGE,
    WINDOW_DAYS,
    EcoCarBatchParams,
    per_day_table,
    per_year_table,
    versions,
)
from mileage.rules.errors import InvalidCase, MissingParameter
from mileage.rules.params import Parameters

STATUSES = ("awarded", "no-award", "void", "not-evaluated")
AWARDED, NO_AWARD, VOID, NOT_EVALUATED = range(4)
KINDS = ("regular", "maintenance")
REGULAR, MAINTENANCE = range(2)
NO_KIND = -1

# `reasons` is a bit set; its clauses read in this order (most decisive first, RULES-CLI).
REASON_ORDER = (
    "ECO-11",
    "ECO-5",
    "ECO-14",
    "ECO-10",
    "ECO-9",
    "ECO-6",
    "ECO-7",
    "ECO-13",
    "ECO-12",
)
BIT = {clause: np.uint16(1 << i) for i, clause in enumerate(REASON_ORDER)}


def reasons_list(code: int) -> list[str]:
    """The clause list of a `reasons` bit set, most decisive first."""
    return [clause for i, clause in enumerate(REASON_ORDER) if code >> i & 1]


@dataclass
class EcoCarColumns:
    """Kernel input: one row per cycle. Dates are int32 day numbers (days since 1970-01-01).

    Optional arrays may be None. ``baseline_den == 0`` means "first cycle: compute ECO-6";
    ``first_baseline_den == 0`` means "the first cycle's baseline is this row's".
    """

    first_registered: np.ndarray
    start: np.ndarray
    start_km: np.ndarray
    end: np.ndarray
    end_km: np.ndarray
    end_uploaded: np.ndarray | None = None  # ECO-10/12 dates; None: the end date
    baseline_num: np.ndarray | None = None  # ECO-7 baseline of a later cycle
    baseline_den: np.ndarray | None = None
    first_baseline_num: np.ndarray | None = None  # ECO-7: kept after a cycle without regular
    first_baseline_den: np.ndarray | None = None
    early_end: np.ndarray | None = None  # ECO-11: the closing reading is an `end`
    void: np.ndarray | None = None  # ECO-14: an official voided the cycle
    initial_uploaded: np.ndarray | None = None  # ECO-5 window: A = cycle years after this
    cycle: np.ndarray | None = None  # ECO-5: k of the cycle (1, 2, ...); None: 1
    change_out_km: np.ndarray | None = None  # ECO-13: old vehicle's last km (-1: no change)
    change_in_km: np.ndarray | None = None  # ECO-13: new vehicle's first km
    changed_before: np.ndarray | None = None  # E-6: a vehicle change in an earlier cycle
    end_missing: np.ndarray | None = None  # E-2: end date and upload date both null

    def __len__(self) -> int:
        return len(self.start)


def _refuse(field: str, mask: np.ndarray, problem: str, offset: int = 0) -> None:
    """InvalidCase naming the column and the first row where ``mask`` holds (E-1, C-4)."""
    if mask.any():
        raise InvalidCase(field, f"{offset + int(np.flatnonzero(mask)[0])}행: {problem}")


def _range(field: str, values: np.ndarray, lo: int, hi: int, problem: str) -> tuple[int, int]:
    """(min, max) of a column, refusing values outside lo..hi (reductions, no mask unless bad)."""
    v_lo, v_hi = int(values.min()), int(values.max())
    if v_lo < lo or v_hi > hi:
        _refuse(field, (values < lo) | (values > hi), problem)
    return v_lo, v_hi


def _dates(field: str, days: np.ndarray) -> tuple[int, int]:
    return _range(
        field,
        days,
        calendar.FIRST_DAY,
        calendar.LAST_INPUT_DAY,
        f"지원 범위 밖의 날짜입니다 (outside {calendar.FIRST_DATE}..{calendar.LAST_INPUT_DATE}, C-4)",
    )


def _km(field: str, km: np.ndarray) -> tuple[int, int]:
    return _range(
        field,
        km,
        0,
        limits.MAX_KM,
        f"주행거리는 0..{limits.MAX_KM:,}km여야 합니다 (km outside 0..{limits.MAX_KM}, C-4)",
    )


def _rational(prefix: str, num: np.ndarray, den: np.ndarray) -> None:
    _range(
        f"{prefix}_den",
        den,
        0,
        limits.MAX_DAYS,
        f"분모는 0..{limits.MAX_DAYS}여야 합니다 (denominator outside 0..{limits.MAX_DAYS}, C-4)",
    )
    _range(
        f"{prefix}_num",
        num,
        0,
        limits.MAX_BASELINE_NUM,
        f"분자는 0..{limits.MAX_BASELINE_NUM}여야 합니다 (numerator outside, C-4)",
    )


def _table(lo: int, hi: int, fill: Any) -> tuple[int, np.ndarray]:
    days = np.arange(lo, hi + 1, dtype=np.int32)
    return lo, fill(days)


@dataclass
class _Plan:
    """Everything a block needs, computed once per batch: parameters and per-day tables."""

    p: EcoCarBatchParams
    year_after: tuple[int, np.ndarray]  # C-5 one year after, by first-registration day
    young_average: tuple[int, np.ndarray]  # ECO-6 / E-4 average of year(start) - 1, by start day
    maint_award: tuple[int, np.ndarray]  # ECO-10 award in force, by upload day (NO_VALUE: none)
    maint_from: tuple[int, np.ndarray]  # ECO-10 earliest cycle start, by upload day
    average_in_force: tuple[int, np.ndarray]  # E-5, by upload day
    payment: tuple[int, np.ndarray]  # ECO-12, by upload day
    opens_after_one_year: tuple[int, np.ndarray] | None  # ECO-5 A for cycle 1, by initial upload
    window_days: tuple[int, np.ndarray] | None  # C-6 window length, by A


def _plan(params: Parameters, p: EcoCarBatchParams, ranges: dict[str, tuple[int, int]]) -> _Plan:
    r_lo, r_hi = ranges["first_registered"]
    s_lo, s_hi = ranges["start"]
    u_lo, u_hi = ranges["uploaded"]

    def young(days: np.ndarray) -> np.ndarray:
        years = calendar.year_of(days) - 1
        exact, _ = per_year_table(params, int(years.min()), int(years.max()))
        return np.take(exact, years - int(years.min()))

    def in_force(days: np.ndarray) -> np.ndarray:
        years = calendar.year_of(days)
        y_lo = int(years.min()) - 1
        _, table = per_year_table(params, y_lo, int(years.max()))
        return np.take(table, years - y_lo)

    plan = _Plan(
        p=p,
        year_after=_table(r_lo, r_hi, lambda d: calendar.add_years(d, 1)),
        young_average=_table(s_lo, s_hi, young),
        maint_award=(u_lo, per_day_table(params, MAINTENANCE_AWARD, u_lo, u_hi, as_day=False)),
        maint_from=(u_lo, per_day_table(params, MAINTENANCE_START, u_lo, u_hi, as_day=True)),
        average_in_force=_table(u_lo, u_hi, in_force),
        payment=(u_lo, p.payment_table(u_lo, u_hi)),
        opens_after_one_year=None,
        window_days=None,
    )
    if "initial_uploaded" in ranges:
        i_lo, i_hi = ranges["initial_uploaded"]
        k_lo, k_hi = ranges["cycle"]
        if k_lo == k_hi:
            plan.opens_after_one_year = _table(i_lo, i_hi, lambda d: calendar.add_years(d, k_lo))
        a_lo = int(calendar.add_years(np.array([i_lo], dtype=np.int32), k_lo)[0])
        a_hi = int(calendar.add_years(np.array([i_hi], dtype=np.int32), k_hi)[0])
        plan.window_days = (a_lo, per_day_table(params, WINDOW_DAYS, a_lo, a_hi, as_day=False))
    return plan


OUTPUT_DTYPES = {
    "days": np.int32,
    "baseline_km": np.float64,
    "driven_km": np.float64,
    "reduction_km": np.float64,
    "reduction_pct": np.float64,  # these four: NaN where RULES-CLI shows null
    "status": np.int8,
    "kind": np.int8,
    "mileage": np.int64,
    "table_award": np.int64,  # ECO-9 / ECO-10 award before ECO-11 pro-rating (0: none)
    "payment_on": np.int32,
    "paid": np.bool_,
    "reasons": np.uint16,
    "baseline_km_num": np.int64,
    "baseline_km_den": np.int64,
    "first_baseline_km_num": np.int64,
    "first_baseline_km_den": np.int64,
    "next_baseline_km_num": np.int64,
    "next_baseline_km_den": np.int64,
    "next_changed_before": np.bool_,
    "end_on": np.int32,
}


def evaluate_columns(
    cols: EcoCarColumns, params: Parameters, *, threads: int = 2
) -> dict[str, np.ndarray]:
    """ECO-5..13 for every row; raises InvalidCase / MissingParameter for bad input.

    The whole batch is checked and planned first (ranges, parameters, per-day lookup tables),
    then evaluated row by row by the compiled loop `kernel.eco_car_rows` on ``threads`` threads.
    Nothing is returned unless every row passed.
    """
    n = len(cols)
    if n == 0:
        return {name: np.zeros(0, dtype=dtype) for name, dtype in OUTPUT_DTYPES.items()}
    ranges: dict[str, tuple[int, int]] = {}
    if cols.initial_uploaded is not None:
        ranges["initial_uploaded"] = _dates("initial_uploaded", cols.initial_uploaded)
        if cols.cycle is None:
            ranges["cycle"] = (1, 1)
        else:
            ranges["cycle"] = _range(
                "cycle", cols.cycle, 1, 100, "주기 번호는 1..100입니다 (cycle outside 1..100)"
            )
    if cols.end_missing is not None and cols.end_missing.any():
        cols = _fill_missing_dates(cols, params)
    ranges["first_registered"] = _dates("first_registered", cols.first_registered)
    ranges["start"] = _dates("start_date", cols.start)
    ranges["end"] = _dates("end_date", cols.end)
    uploaded = cols.end_uploaded if cols.end_uploaded is not None else cols.end
    ranges["uploaded"] = _dates("end_uploaded", uploaded)
    cuts = versions(params, *ranges["uploaded"])
    if cuts:
        _check_values(cols)  # before splitting: row numbers of the whole batch
        return _by_version(cols, params, uploaded, cuts)
    try:
        p = EcoCarBatchParams.build(params, calendar.from_day_number(ranges["uploaded"][0]))
        plan = _plan(params, p, ranges)
    except (InvalidCase, MissingParameter):
        _check_values(cols)  # a bad value was refused before the parameters were read
        raise

    out = {name: np.empty(n, dtype=dtype) for name, dtype in OUTPUT_DTYPES.items()}
    err = np.zeros(n, dtype=np.int8)
    _run_kernel(cols, plan, out, err, threads)
    if err.any():
        _check_values(cols)  # an OUT_OF_RANGE row: the same error as checking before the loop
        _raise_for(cols, err)
    return out


def _check_values(cols: EcoCarColumns) -> None:
    """C-4: km and fed-back baselines within limits.py, column by column, first bad row named.

    The kernel checks the same bounds row by row in its one pass (OUT_OF_RANGE); this runs only
    when it found any error, so the column and row reported are those of a check made first.
    """
    _km("start_km", cols.start_km)
    _km("end_km", cols.end_km)
    if cols.change_out_km is not None:
        assert cols.change_in_km is not None
        _range("change_out_km", cols.change_out_km, -1, limits.MAX_KM, "0..10,000,000km 또는 -1")
        _range("change_in_km", cols.change_in_km, -1, limits.MAX_KM, "0..10,000,000km 또는 -1")
    if cols.baseline_den is not None:
        assert cols.baseline_num is not None
        _rational("baseline_km", cols.baseline_num, cols.baseline_den)
    if cols.first_baseline_den is not None:
        assert cols.first_baseline_num is not None
        _rational("first_baseline_km", cols.first_baseline_num, cols.first_baseline_den)


def _fill_missing_dates(cols: EcoCarColumns, params: Parameters) -> EcoCarColumns:
    """E-2: an annual reading with neither capture nor upload date stands at A+29."""
    missing = cols.end_missing
    assert missing is not None
    if cols.initial_uploaded is None:
        _refuse(
            "end_date", missing, "날짜가 없습니다 (a null end_date needs initial_uploaded, E-2)"
        )
    assert cols.initial_uploaded is not None
    if cols.early_end is not None:
        _refuse(
            "end_date",
            missing & cols.early_end,
            "end 기록에는 날짜가 필요합니다 (an end reading needs its dates, E-2)",
        )
    rows = np.flatnonzero(missing)
    k = 1 if cols.cycle is None else cols.cycle[rows]
    opens = calendar.add_years(cols.initial_uploaded[rows], k)
    lo, hi = int(opens.min()), int(opens.max())
    length = np.take(per_day_table(params, WINDOW_DAYS, lo, hi, as_day=False), opens - lo)
    if (length == NO_VALUE).any():
        raise MissingParameter(WINDOW_DAYS, calendar.from_day_number(lo))
    last = (opens + length - 1).astype(np.int32)
    end = cols.end.copy()
    end[rows] = last
    uploaded = (cols.end_uploaded if cols.end_uploaded is not None else cols.end).copy()
    uploaded[rows] = last
    return replace(cols, end=end, end_uploaded=uploaded, end_missing=None)


_EMPTY_I64 = np.zeros(0, dtype=np.int64)
_EMPTY_I32 = np.zeros(0, dtype=np.int32)
_EMPTY_BOOL = np.zeros(0, dtype=np.bool_)


def _or(array: np.ndarray | None, empty: np.ndarray) -> np.ndarray:
    """A contiguous read-only view (no copy when the dtype fits): polars hands out read-only
    arrays and numba compiles read-only and writable arrays separately, so the kernel always
    gets read-only inputs and is compiled (and cached on disk) once for every caller."""
    view = (empty if array is None else np.ascontiguousarray(array, dtype=empty.dtype)).view()
    view.flags.writeable = False
    return view


def _run_kernel(
    cols: EcoCarColumns, plan: _Plan, out: dict[str, np.ndarray], err: np.ndarray, threads: int
) -> None:
    t = calendar.tables()
    opens_one = plan.opens_after_one_year or (0, _EMPTY_I32)
    window = plan.window_days or (0, _EMPTY_I64)
    tables_lo = np.array(
        [
            plan.year_after[0],
            plan.young_average[0],
            plan.payment[0],
            0,
            0,
            0,
            opens_one[0],
            window[0],
        ],
        dtype=np.int64,
    )
    p = plan.p
    uploaded = cols.end_uploaded if cols.end_uploaded is not None else cols.end
    previous = numba.get_num_threads()
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    try:
        kernel.eco_car_rows(
            _or(cols.first_registered, _EMPTY_I32),
            _or(cols.start, _EMPTY_I32),
            _or(cols.end, _EMPTY_I32),
            _or(uploaded, _EMPTY_I32),
            _or(cols.start_km, _EMPTY_I64),
            _or(cols.end_km, _EMPTY_I64),
            _or(cols.early_end, _EMPTY_BOOL),
            _or(cols.void, _EMPTY_BOOL),
            _or(cols.initial_uploaded, _EMPTY_I32),
            _or(cols.cycle, _EMPTY_I64) if cols.initial_uploaded is not None else _EMPTY_I64,
            _or(cols.change_out_km, _EMPTY_I64),
            _or(cols.change_in_km, _EMPTY_I64),
            _or(cols.baseline_num, _EMPTY_I64),
            _or(cols.baseline_den, _EMPTY_I64),
            _or(cols.first_baseline_num, _EMPTY_I64),
            _or(cols.first_baseline_den, _EMPTY_I64),
            _or(cols.changed_before, _EMPTY_BOOL),
            tables_lo,
            _or(plan.year_after[1], _EMPTY_I32),
            _or(plan.young_average[1], _EMPTY_I64),
            _or(plan.maint_award[1], _EMPTY_I64),
            _or(plan.maint_from[1], _EMPTY_I64),
            _or(plan.average_in_force[1], _EMPTY_I64),
            _or(plan.payment[1], _EMPTY_I32),
            _or(opens_one[1], _EMPTY_I32),
            _or(window[1], _EMPTY_I64),
            np.int64(calendar.FIRST_DAY),
            t.packed,
            t.month_start,
            t.month_len,
            p.km_bounds,
            p.km_awards,
            p.pct_bounds,
            p.pct_awards,
            np.array([p.early_min_months, p.truncation_won, p.photo_max_age_days], dtype=np.int64),
            *(out[name] for name in KERNEL_OUTPUTS),
            err,
        )
    finally:
        numba.set_num_threads(previous)


KERNEL_OUTPUTS = (
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
    "paid",
    "reasons",
    "baseline_km_num",
    "baseline_km_den",
    "first_baseline_km_num",
    "first_baseline_km_den",
    "next_baseline_km_num",
    "next_baseline_km_den",
    "next_changed_before",
    "end_on",
)

_ERRORS = {
    kernel.ZERO_DAYS: ("end_date", "주기가 0일 이하입니다 (a cycle of 0 days or less, E-1)"),
    kernel.OLD_LEG_BACK: ("change_out_km", "주행거리가 줄었습니다 (odometer went backwards, E-1)"),
    kernel.KM_BACK: ("end_km", "주행거리가 줄었습니다 (odometer went backwards, E-1)"),
    kernel.REGISTERED_AFTER: (
        "first_registered",
        "최초 등록일이 주기 시작보다 늦습니다 (registered after the cycle start)",
    ),
    kernel.TAKEN_AFTER_UPLOAD: (
        "end_date",
        "촬영일이 업로드일 이후입니다 (captured after its upload date, ECO-4)",
    ),
    kernel.PHOTO_TOO_OLD: (
        "end_date",
        "업로드일 기준 사진이 너무 오래되었습니다 (photo too old at upload, ECO-4)",
    ),
    kernel.BEFORE_WINDOW: (
        "end_uploaded",
        "연간 기록이 업로드 가능일 전에 올라왔습니다 (annual reading uploaded before A, ECO-5)",
    ),
}


def _raise_for(cols: EcoCarColumns, err: np.ndarray) -> None:
    """The error of the first refused row: InvalidCase(column, "<row>행: ...") or
    MissingParameter for a Seoul average or window length with no value (E-4, E-5)."""
    row = int(np.flatnonzero(err)[0])
    code = int(err[row])
    if code in _ERRORS:
        field, problem = _ERRORS[code]
        raise InvalidCase(field, f"{row}행: {problem}")
    uploaded = cols.end_uploaded if cols.end_uploaded is not None else cols.end
    if code == kernel.MISSING_YOUNG_AVERAGE:
        day = cols.start[row : row + 1]
        raise MissingParameter(SEOUL_AVERAGE, int(calendar.year_of(day)[0]) - 1)
    if code == kernel.MISSING_AVERAGE_IN_FORCE:
        day = uploaded[row : row + 1]
        raise MissingParameter(SEOUL_AVERAGE, int(calendar.year_of(day)[0]) - 1)
    raise MissingParameter(WINDOW_DAYS, calendar.from_day_number(int(uploaded[row])))


def _by_version(
    cols: EcoCarColumns, params: Parameters, uploaded: np.ndarray, cuts: list[int]
) -> dict[str, np.ndarray]:
    """A parameter changes inside the batch: evaluate each upload range on its own."""
    group = np.searchsorted(np.array(cuts), uploaded, side="right")
    parts = []
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        sub = EcoCarColumns(
            **{
                name: (None if value is None or np.ndim(value) == 0 else value[rows])
                for name, value in vars(cols).items()
            }
        )
        if cols.cycle is not None and np.ndim(cols.cycle) == 0:
            sub.cycle = cols.cycle
        parts.append((rows, evaluate_columns(sub, params)))
    out = {key: np.empty(len(cols), dtype=value.dtype) for key, value in parts[0][1].items()}
    for rows, part in parts:
        for key, value in part.items():
            out[key][rows] = value
    return out
