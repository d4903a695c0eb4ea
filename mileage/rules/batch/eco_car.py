"""ECO-5..12: eco-car cycles evaluated column-wise (numpy int64, exact), one row per cycle.

The kernel takes plain numpy arrays (dates as int32 day numbers) and returns numpy arrays; the
polars/dict front door is `mileage.rules.batch.evaluate_eco_car`. Decisions use integer
cross-multiplication only (C-4); the bounds that keep it inside int64 are in `limits.py`.

With ``Bn/Bd`` the baseline (ECO-6/7), ``D`` the km driven and ``d`` the cycle's days:

    driven      = 365 D / d                                  (ECO-8, C-3)
    reduction   = R / Q      R = Bn d - 365 D Bd,  Q = Bd d  (ECO-9)
    reduction % = 100 R / P  P = d Bn                        (ECO-9; null when Bn = 0, E-6)

so ``reduction >= bound`` is ``R >= bound * Q`` and ``reduction % >= bound`` is
``100 R >= bound * P``. For whole-number bounds the batch computes ``floor(R / Q)`` and
``floor(100 R / P)`` once and compares those, with the float quotient when it is provably exact
(numerators below 2**53, see `exact.py`) and int64 division otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from mileage.rules.arith import DAYS_PER_YEAR
from mileage.rules.batch import calendar, limits
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
from mileage.rules.batch.exact import FLOAT_EXACT_LIMIT, round_2dp
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


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _refuse(field: str, mask: np.ndarray, problem: str) -> None:
    """InvalidCase naming the column and the first row where ``mask`` holds (E-1, C-4)."""
    if mask.any():
        raise InvalidCase(field, f"{_first_bad(mask)}행: {problem}")


def _check_dates(field: str, days: np.ndarray) -> None:
    lo, hi = int(days.min()), int(days.max())
    if lo < calendar.FIRST_DAY or hi > calendar.LAST_INPUT_DAY:
        _refuse(
            field,
            (days < calendar.FIRST_DAY) | (days > calendar.LAST_INPUT_DAY),
            f"지원 범위 밖의 날짜입니다 (date outside {calendar.FIRST_DATE}..{calendar.LAST_INPUT_DATE}, C-4)",
        )


def _check_km(field: str, km: np.ndarray) -> int:
    hi = int(km.max())
    if int(km.min()) < 0 or hi > limits.MAX_KM:
        _refuse(
            field,
            (km < 0) | (km > limits.MAX_KM),
            f"주행거리는 0..{limits.MAX_KM:,}km여야 합니다 (km outside 0..{limits.MAX_KM}, C-4)",
        )
    return hi


def _check_baseline(prefix: str, num: np.ndarray, den: np.ndarray) -> None:
    _refuse(
        f"{prefix}_den",
        (den < 0) | (den > limits.MAX_DAYS),
        f"분모는 0..{limits.MAX_DAYS}여야 합니다 (denominator outside 0..{limits.MAX_DAYS}, C-4)",
    )
    _refuse(
        f"{prefix}_num",
        (num < 0) | (num > limits.MAX_BASELINE_NUM),
        f"분자는 0..{limits.MAX_BASELINE_NUM}여야 합니다 (numerator outside, C-4)",
    )


def _floor_div(num: np.ndarray, den: np.ndarray, num_bound: int) -> np.ndarray:
    """floor(num / den) for num >= 0, den > 0: float quotient when exact, else int64 division."""
    if num_bound < FLOAT_EXACT_LIMIT and int(den.max()) < FLOAT_EXACT_LIMIT:
        return np.floor(num / den)
    return (num // den).astype(np.float64)


def _tier_award(floored: np.ndarray, bounds: np.ndarray, awards: np.ndarray) -> np.ndarray:
    """ECO-9: the award of the tier whose lower bound ``floored`` reaches (bounds[0] == 0)."""
    tier = np.zeros(floored.shape, dtype=np.int8)
    for bound in bounds[1:]:
        tier += floored >= bound
    return np.take(awards, tier)


def evaluate_columns(cols: EcoCarColumns, params: Parameters) -> dict[str, np.ndarray]:
    """ECO-5..12 for every row; raises InvalidCase / MissingParameter for bad input."""
    n = len(cols)
    if n == 0:
        return _empty()
    registered, start, end = cols.first_registered, cols.start, cols.end
    uploaded = cols.end_uploaded if cols.end_uploaded is not None else end
    annual = np.ones(n, dtype=bool) if cols.early_end is None else ~cols.early_end.astype(bool)
    window = None
    if cols.initial_uploaded is not None:
        _check_dates("initial_uploaded", cols.initial_uploaded)
        window = annual_windows(params, cols.initial_uploaded, cols.cycle)
    if cols.end_missing is not None and cols.end_missing.any():
        # E-2: an annual reading with neither capture nor upload date stands at A+29.
        if window is None:
            _refuse(
                "end_date", cols.end_missing, "날짜가 없습니다 (null needs initial_uploaded, E-2)"
            )
        _refuse(
            "end_date",
            cols.end_missing & ~annual,
            "end 기록에는 날짜가 필요합니다 (an end reading needs its dates, E-2)",
        )
        end = np.where(cols.end_missing, window[1], end)
        uploaded = np.where(cols.end_missing, window[1], uploaded)
    for field, days in (
        ("first_registered", registered),
        ("start_date", start),
        ("end_date", end),
        ("end_uploaded", uploaded),
    ):
        _check_dates(field, days)
    _check_km("start_km", cols.start_km)
    end_km_max = _check_km("end_km", cols.end_km)

    days = (end - start).astype(np.int64)  # C-2
    _refuse("end_date", days <= 0, "주기가 0일 이하입니다 (a cycle of 0 days or less, E-1)")
    changed = None
    if cols.change_out_km is not None:
        assert cols.change_in_km is not None
        changed = cols.change_out_km >= 0
        _check_km("change_out_km", np.where(changed, cols.change_out_km, 0))
        _check_km("change_in_km", np.where(changed, cols.change_in_km, 0))
        # ECO-13 / E-7: the old vehicle's leg plus the new one's; the gap adds no km.
        old_leg = np.where(changed, cols.change_out_km, cols.end_km) - cols.start_km
        new_leg = np.where(changed, cols.end_km - cols.change_in_km, 0)
        _refuse(
            "change_out_km", old_leg < 0, "주행거리가 줄었습니다 (odometer went backwards, E-1)"
        )
        _refuse("end_km", new_leg < 0, "주행거리가 줄었습니다 (odometer went backwards, E-1)")
        driven = old_leg + new_leg
    else:
        driven = cols.end_km - cols.start_km
        _refuse("end_km", driven < 0, "주행거리가 줄었습니다 (odometer went backwards, E-1)")
    since_registered = (start - registered).astype(np.int64)
    _refuse(
        "first_registered",
        since_registered < 0,
        "최초 등록일이 주기 시작보다 늦습니다 (registered after the cycle start)",
    )
    if window is not None:
        _refuse(
            "end_uploaded",
            annual & (uploaded < window[0]),
            "연간 기록이 업로드 가능일 전에 올라왔습니다 (annual reading uploaded before A, ECO-5)",
        )
    photo_age = uploaded - end
    _refuse("end_date", photo_age < 0, "촬영일이 업로드일 이후입니다 (taken after upload, ECO-4)")

    u_lo, u_hi = int(uploaded.min()), int(uploaded.max())
    cuts = versions(params, u_lo, u_hi)
    if cuts:
        return _by_version(cols, params, uploaded, cuts)
    first_key = calendar.from_day_number(u_lo)
    try:
        p = EcoCarBatchParams.build(params, first_key)
    except MissingParameter:
        raise
    _refuse(
        "end_date",
        photo_age > p.photo_max_age_days,
        f"사진이 업로드일 기준 {p.photo_max_age_days}일보다 오래되었습니다 (photo too old, ECO-4)",
    )

    # ECO-6 / ECO-7: the baseline Bn / Bd.
    if cols.baseline_den is not None:
        assert cols.baseline_num is not None
        _check_baseline("baseline_km", cols.baseline_num, cols.baseline_den)
        given = cols.baseline_den > 0
        all_given = bool(given.all())
    else:
        given, all_given = None, False
    if all_given:
        b_num, b_den = cols.baseline_num.astype(np.int64), cols.baseline_den.astype(np.int64)
        first_cycle = np.zeros(n, dtype=bool)
    else:
        b_num, b_den = _first_cycle_baseline(params, registered, start, cols.start_km)
        first_cycle = np.ones(n, dtype=bool) if given is None else ~given
        if given is not None:
            b_num = np.where(given, cols.baseline_num, b_num)
            b_den = np.where(given, cols.baseline_den, b_den)

    # ECO-8 / ECO-9 exact quantities.
    r_num = b_num * days
    r_num -= DAYS_PER_YEAR * driven * b_den  # R
    q_den = b_den * days  # Q
    p_den = days * b_num  # P (0 when the baseline is 0)
    positive = r_num >= 0

    # |R| bound from the validated maxima (cheap scalars, exact Python ints).
    num_max = DAYS_PER_YEAR * max(end_km_max, 1)
    r_bound = num_max * max(int(days.max()), int(b_den.max()), 1)
    r_pos = np.maximum(r_num, 0)
    km_floor = _floor_div(r_pos, q_den, r_bound)
    km_award = _tier_award(km_floor, p.km_bounds, p.km_awards)
    has_pct = p_den > 0
    pct_floor = _floor_div(r_pos * 100, np.maximum(p_den, 1), 100 * r_bound)
    pct_award = _tier_award(pct_floor, p.pct_bounds, p.pct_awards)
    pct_award *= has_pct
    regular = np.maximum(km_award, pct_award)

    # ECO-10: maintenance when driving rose, within the Seoul average in force (E-5, E-8).
    award_by_day = per_day_table(params, MAINTENANCE_AWARD, u_lo, u_hi, as_day=False)
    start_by_day = per_day_table(params, MAINTENANCE_START, u_lo, u_hi, as_day=True)
    maint_award = np.take(award_by_day, uploaded - u_lo)
    maint_from = np.take(start_by_day, uploaded - u_lo)
    maint_on = (maint_award != NO_VALUE) & (start >= maint_from) & (maint_from != NO_VALUE)
    asks_average = maint_on & ~positive
    maintenance = np.zeros(n, dtype=np.int64)
    if asks_average.any():
        year_lo = int(calendar.year_of(np.array([u_lo]))[0])
        year_hi = int(calendar.year_of(np.array([u_hi]))[0])
        _, in_force = per_year_table(params, year_lo - 1, year_hi)
        average = np.take(in_force, calendar.year_of(uploaded) - (year_lo - 1))
        missing = asks_average & (average == NO_VALUE)
        if missing.any():
            row = _first_bad(missing)
            year = int(calendar.year_of(uploaded[row : row + 1])[0])
            raise MissingParameter(SEOUL_AVERAGE, year - 1)
        within = DAYS_PER_YEAR * driven <= average * days
        maintenance = np.where(asks_average & within, maint_award, 0)

    award = np.where(positive, regular, maintenance)
    reasons = np.where(positive, BIT["ECO-9"], BIT["ECO-10"] | BIT["ECO-9"]).astype(np.uint16)
    reasons |= np.where(first_cycle, BIT["ECO-6"], BIT["ECO-7"])
    if changed is not None:
        reasons |= np.where(changed, BIT["ECO-13"], 0).astype(np.uint16)
    status = np.full(n, AWARDED, dtype=np.int8)
    skipped = np.zeros(n, dtype=bool)  # void or not evaluated

    # ECO-11 / E-9: early end — not evaluated under 9 months, void from a year, else pro-rated.
    if cols.early_end is not None and cols.early_end.any():
        rows = np.flatnonzero(cols.early_end)
        s, e = start[rows], end[rows]
        short = e < calendar.add_months(s, p.early_min_months)
        late = ~short & (e >= calendar.add_years(s, 1))
        status[rows[short]] = NOT_EVALUATED
        status[rows[late]] = VOID
        skipped[rows[short | late]] = True
        unit = p.truncation_won
        award[rows] = award[rows] * days[rows] // (DAYS_PER_YEAR * unit) * unit
        reasons[rows] |= BIT["ECO-11"]
        reasons[rows[short]] = BIT["ECO-11"]
        reasons[rows[late]] = BIT["ECO-11"] | BIT["ECO-5"] | BIT["ECO-14"]

    # ECO-5 / E-3: an annual reading uploaded after A+29 voids its cycle.
    if window is not None:
        late = annual & (uploaded > window[1])
        if late.any():
            status[late] = VOID
            skipped |= late
            reasons[late] = BIT["ECO-5"] | BIT["ECO-14"]

    if cols.void is not None and cols.void.any():
        marked = cols.void.astype(bool) & ~skipped
        status[marked] = VOID
        skipped |= marked
        reasons[marked] = BIT["ECO-14"]

    mileage = np.where(skipped, 0, award)
    paid = mileage > 0
    status[~skipped & ~paid] = NO_AWARD
    kind = np.where(positive, REGULAR, MAINTENANCE).astype(np.int8)
    kind[~paid] = NO_KIND
    pay_table = p.payment_table(u_lo, u_hi)
    payment = np.take(pay_table, uploaded - u_lo)
    reasons |= np.where(paid, BIT["ECO-12"], 0).astype(np.uint16)

    # ECO-7: the next cycle's baseline — this reading annualised after a regular award,
    # else the first cycle's baseline (E-6).
    if cols.first_baseline_den is not None and bool((cols.first_baseline_den > 0).any()):
        assert cols.first_baseline_num is not None
        _check_baseline("first_baseline_km", cols.first_baseline_num, cols.first_baseline_den)
        has_first = cols.first_baseline_den > 0
        f_num = np.where(has_first, cols.first_baseline_num, b_num)
        f_den = np.where(has_first, cols.first_baseline_den, b_den)
    else:
        f_num, f_den = b_num, b_den
    regular_paid = paid & positive
    if changed is not None:
        changed_through = changed.copy()
        if cols.changed_before is not None:
            changed_through |= cols.changed_before
        regular_paid &= ~changed_through  # E-6: after a vehicle change the first baseline stays
    elif cols.changed_before is not None:
        changed_through = cols.changed_before.astype(bool)
        regular_paid &= ~changed_through
    else:
        changed_through = np.zeros(n, dtype=bool)
    next_num = np.where(regular_paid, DAYS_PER_YEAR * cols.end_km, f_num)
    next_den = np.where(regular_paid, (end - registered).astype(np.int64), f_den)

    shown = ~skipped
    return {
        "days": days.astype(np.int32),
        "baseline_km": round_2dp(b_num, b_den, num_max),
        "driven_km": round_2dp(DAYS_PER_YEAR * driven, days, num_max),
        "reduction_km": round_2dp(r_num, q_den, r_bound),
        "reduction_pct": round_2dp(r_num * 100, np.maximum(p_den, 1), 100 * r_bound),
        "shown": shown,
        "has_pct": has_pct & shown,
        "status": status,
        "kind": kind,
        "mileage": mileage,
        "payment_on": payment,
        "paid": paid,
        "reasons": reasons,
        "baseline_km_num": b_num,
        "baseline_km_den": b_den,
        "first_baseline_km_num": f_num,
        "first_baseline_km_den": f_den,
        "next_baseline_km_num": next_num,
        "next_baseline_km_den": next_den,
        "next_changed_before": changed_through,
    }


def annual_windows(
    params: Parameters, initial_uploaded: np.ndarray, cycle: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """ECO-5 / C-6 / E-3: (A, A+29) per row, A = cycle years (C-5) after the initial upload."""
    k = np.ones(1, dtype=np.int64) if cycle is None else cycle.astype(np.int64)
    if int(k.min()) < 1 or int(k.max()) > 100:
        _refuse("cycle", (k < 1) | (k > 100), "주기 번호는 1..100입니다 (cycle outside 1..100)")
    opens = calendar.add_years(initial_uploaded, k)
    lo, hi = int(opens.min()), int(opens.max())
    length = np.take(per_day_table(params, WINDOW_DAYS, lo, hi, as_day=False), opens - lo)
    if (length == NO_VALUE).any():
        raise MissingParameter(WINDOW_DAYS, calendar.from_day_number(int(opens.min())))
    return opens, (opens + length - 1).astype(opens.dtype)


def _first_cycle_baseline(
    params: Parameters, registered: np.ndarray, start: np.ndarray, start_km: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ECO-6: initial km annualised when registered a year (C-5) before the start, else the
    Seoul average of the year before the enrolment year (E-4: exact year, else an error)."""
    lo, hi = int(registered.min()), int(registered.max())
    year_after = calendar.add_years(np.arange(lo, hi + 1, dtype=np.int32), 1)
    old = np.take(year_after, registered - lo) <= start
    b_num = DAYS_PER_YEAR * start_km.astype(np.int64)
    b_den = (start - registered).astype(np.int64)
    if not old.all():
        years = calendar.year_of(start) - 1
        y_lo, y_hi = int(years.min()), int(years.max())
        exact, _ = per_year_table(params, y_lo, y_hi)
        average = np.take(exact, years - y_lo)
        missing = ~old & (average == NO_VALUE)
        if missing.any():
            raise MissingParameter(SEOUL_AVERAGE, int(years[_first_bad(missing)]))
        b_num = np.where(old, b_num, average)
        b_den = np.where(old, b_den, 1)
    return b_num, b_den


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


def _empty() -> dict[str, np.ndarray]:
    empty_i64 = np.zeros(0, dtype=np.int64)
    return {
        "days": np.zeros(0, dtype=np.int32),
        "baseline_km": np.zeros(0),
        "driven_km": np.zeros(0),
        "reduction_km": np.zeros(0),
        "reduction_pct": np.zeros(0),
        "shown": np.zeros(0, dtype=bool),
        "has_pct": np.zeros(0, dtype=bool),
        "status": np.zeros(0, dtype=np.int8),
        "kind": np.zeros(0, dtype=np.int8),
        "mileage": empty_i64,
        "payment_on": np.zeros(0, dtype=np.int32),
        "paid": np.zeros(0, dtype=bool),
        "reasons": np.zeros(0, dtype=np.uint16),
        "baseline_km_num": empty_i64,
        "baseline_km_den": empty_i64,
        "first_baseline_km_num": empty_i64,
        "first_baseline_km_den": empty_i64,
        "next_baseline_km_num": empty_i64,
        "next_baseline_km_den": empty_i64,
        "next_changed_before": np.zeros(0, dtype=bool),
    }


def as_date(day: int) -> dt.date:
    return calendar.from_day_number(day)
