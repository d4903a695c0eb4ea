"""ECO-5..13: the compiled per-row loop of the eco-car batch path (numba, exact int64).

One pass over the rows, in parallel on all cores, with every quantity an exact int64 rational
(C-4): ``R = Bn d - 365 D Bd`` (reduction numerator), ``Q = Bd d``, ``P = Bn d``. Tier decisions
compare ``R >= bound * Q`` and ``100 R >= bound * P`` in integers; floats appear only for the
displayed values (E-13), computed from the rational exactly (see `exact.py`). Input bounds
(`limits.py`, validated before the loop) keep every product inside int64.

Absent optional columns are passed as empty arrays. A row the platform would refuse sets its
`err` code (ERRORS) and the caller raises for the first such row; nothing is returned then.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from mileage.rules.batch.calendar import add_months_day
from mileage.rules.batch.limits import MAX_BASELINE_NUM, MAX_DAYS, MAX_KM

DAYS = 365  # C-3 (mileage.rules.arith.DAYS_PER_YEAR; numba needs a literal global)
FLOAT_EXACT = 2.0**53
INT_EXACT = 2**53
NO_VALUE = -1

# err codes -> (column, problem); MISSING_* raise MissingParameter.
OK = 0
ZERO_DAYS = 1
OLD_LEG_BACK = 2
KM_BACK = 3
REGISTERED_AFTER = 4
TAKEN_AFTER_UPLOAD = 5
PHOTO_TOO_OLD = 6
MISSING_WINDOW = 7
BEFORE_WINDOW = 8
MISSING_YOUNG_AVERAGE = 9
MISSING_AVERAGE_IN_FORCE = 10
OUT_OF_RANGE = 11  # C-4 km / baseline bounds: the caller names the column (eco_car._check_values)

# status, kind and reason bits (eco_car.STATUSES, KINDS, REASON_ORDER)
AWARDED, NO_AWARD, VOID, NOT_EVALUATED = 0, 1, 2, 3
REGULAR, MAINTENANCE, NO_KIND = 0, 1, -1
R11, R5, R14, R10, R9, R6, R7, R13, R12 = (1 << i for i in range(9))


@nb.njit(cache=True)
def _cents_as_float(cents):  # type: ignore[no-untyped-def]
    """E-13: the double nearest to cents / 100 for 2**53 <= cents < 2**63 (int64).

    With cents = 100 q + r: below q = 2**53, q is an exact double and r / 100 is either exact
    (r = 0, 25, 50, 75) or not dyadic, so at least 1/3200 from any rounding midpoint, far more
    than its own rounding error: q + r / 100.0 rounds once, correctly. From q = 2**53 on, the
    result's spacing is 2**e (e >= 1): round cents / (100 * 2**e) half to even in integers.
    """
    q = cents // 100
    if q < INT_EXACT:
        return np.float64(q) + np.float64(cents - q * 100) / 100.0
    e = 0
    while (q >> e) >= INT_EXACT:
        e += 1
    divisor = np.int64(100) << e
    m = cents // divisor
    rest = cents - m * divisor
    if 2 * rest > divisor or (2 * rest == divisor and m % 2 == 1):
        m += 1
    return np.float64(m) * np.float64(np.int64(1) << e)


@nb.njit(cache=True, inline="always")
def _round_2dp(num, den):  # type: ignore[no-untyped-def]
    """E-13: num / den (den > 0) rounded half away from zero to 2 decimals, exactly.

    cents = floor((200 |num| + den) / (2 den)) with the sign of num, shown as cents / 100 (the
    double nearest to the decimal, as float(Decimal) gives; never -0.0). Below 2**53 both
    operands are exact floats and the floor of the correctly rounded float quotient equals the
    integer quotient (the true quotient is at least 1/b from the next integer, more than the
    rounding error a/b * 2**-53 when a < 2**53), so the fast float division is exact there;
    cents / 100 is one correctly rounded division while cents < 2**53 (`_cents_as_float` above).
    """
    a = num if num >= 0 else -num
    scaled = a * 200 + den
    twice = den * 2
    if scaled < FLOAT_EXACT and twice < FLOAT_EXACT:
        cents = np.int64(np.floor(np.float64(scaled) / np.float64(twice)))
    else:
        cents = scaled // twice
    if cents < INT_EXACT:
        shown = np.float64(cents) / 100.0
    else:
        shown = _cents_as_float(cents)
    if num < 0:
        shown = -shown
    return shown + 0.0


@nb.njit(parallel=True, cache=True, nogil=True)
def eco_car_rows(  # type: ignore[no-untyped-def]
    registered,
    start,
    end,
    uploaded,
    start_km,
    end_km,
    early,
    void,
    initial_uploaded,
    cycle,
    change_out_km,
    change_in_km,
    baseline_num,
    baseline_den,
    first_num,
    first_den,
    changed_before,
    tables_lo,  # int64[8]: first day of each per-day table below
    year_after,
    young_average,
    maint_award,
    maint_from,
    average_in_force,
    payment,
    opens_one,
    window_days,
    cal_first_day,
    packed,
    month_start,
    month_len,
    km_bounds,
    km_awards,
    pct_bounds,
    pct_awards,
    scalars,  # int64[3]: early_min_months, truncation_won, photo_max_age_days
    o_days,
    o_baseline,
    o_driven,
    o_reduction,
    o_pct,
    o_status,
    o_kind,
    o_mileage,
    o_table_award,
    o_payment,
    o_paid,
    o_reasons,
    o_bnum,
    o_bden,
    o_fnum,
    o_fden,
    o_nnum,
    o_nden,
    o_nchanged,
    o_end,
    err,
):
    n = len(start)
    has_early = len(early) > 0
    has_void = len(void) > 0
    has_window = len(initial_uploaded) > 0
    has_change = len(change_out_km) > 0
    has_given = len(baseline_den) > 0
    has_first = len(first_den) > 0
    has_before = len(changed_before) > 0
    one_k = len(opens_one) > 0
    min_months = scalars[0]
    unit = scalars[1]
    max_age = scalars[2]
    n_km = len(km_bounds)
    n_pct = len(pct_bounds)
    for i in nb.prange(n):
        # C-4: values outside limits.py (their ranges are checked here, in the same pass)
        if not (0 <= start_km[i] <= MAX_KM and 0 <= end_km[i] <= MAX_KM):
            err[i] = OUT_OF_RANGE
            continue
        if has_change and not (
            -1 <= change_out_km[i] <= MAX_KM and -1 <= change_in_km[i] <= MAX_KM
        ):
            err[i] = OUT_OF_RANGE
            continue
        if has_given and not (
            0 <= baseline_den[i] <= MAX_DAYS and 0 <= baseline_num[i] <= MAX_BASELINE_NUM
        ):
            err[i] = OUT_OF_RANGE
            continue
        if has_first and not (
            0 <= first_den[i] <= MAX_DAYS and 0 <= first_num[i] <= MAX_BASELINE_NUM
        ):
            err[i] = OUT_OF_RANGE
            continue
        s = np.int64(start[i])
        e = np.int64(end[i])
        u = np.int64(uploaded[i])
        reg = np.int64(registered[i])
        o_end[i] = e
        d = e - s
        # E-1 / ECO-4: refused input
        if d <= 0:
            err[i] = ZERO_DAYS
            continue
        changed = has_change and change_out_km[i] >= 0
        if changed:
            old_leg = change_out_km[i] - start_km[i]
            new_leg = end_km[i] - change_in_km[i]
            if old_leg < 0:
                err[i] = OLD_LEG_BACK
                continue
            if new_leg < 0:
                err[i] = KM_BACK
                continue
            driven = old_leg + new_leg
        else:
            driven = end_km[i] - start_km[i]
            if driven < 0:
                err[i] = KM_BACK
                continue
        since = s - reg
        if since < 0:
            err[i] = REGISTERED_AFTER
            continue
        age = u - e
        if age < 0:
            err[i] = TAKEN_AFTER_UPLOAD
            continue
        if age > max_age:
            err[i] = PHOTO_TOO_OLD
            continue
        is_early = has_early and early[i]
        late_upload = False
        if has_window:
            # ECO-5 / E-3 / C-6: A = k years after the initial upload; A..A+29.
            if one_k:
                opens = np.int64(opens_one[initial_uploaded[i] - tables_lo[6]])
            else:
                opens = add_months_day(
                    initial_uploaded[i],
                    12 * cycle[i],
                    cal_first_day,
                    packed,
                    month_start,
                    month_len,
                )
            length = window_days[opens - tables_lo[7]]
            if length == NO_VALUE:
                err[i] = MISSING_WINDOW
                continue
            if not is_early:
                if u < opens:
                    err[i] = BEFORE_WINDOW
                    continue
                late_upload = u - opens >= length
        # ECO-6 / ECO-7: the baseline Bn / Bd
        given = has_given and baseline_den[i] > 0
        if given:
            bn = baseline_num[i]
            bd = baseline_den[i]
        elif year_after[reg - tables_lo[0]] <= s:
            bn = start_km[i] * DAYS
            bd = since
        else:
            average = young_average[s - tables_lo[1]]
            if average == NO_VALUE:
                err[i] = MISSING_YOUNG_AVERAGE
                continue
            bn = average
            bd = np.int64(1)
        # ECO-8 / ECO-9 exact quantities
        driven_num = driven * DAYS
        r = bn * d - driven_num * bd
        q = bd * d
        p = bn * d
        positive = r >= 0
        reasons = R9 | (R7 if given else R6)
        if not positive:
            reasons |= R10
        if changed:
            reasons |= R13
        award = np.int64(0)
        if positive:
            # each table pays its highest tier reached; the better of two (회원에 유리한 기준)
            for t in range(n_km):
                if r >= km_bounds[t] * q:
                    award = km_awards[t]
            if p > 0:  # E-6: a baseline of 0 leaves the km table alone
                by_pct = np.int64(0)
                for t in range(n_pct):
                    if r * 100 >= pct_bounds[t] * p:
                        by_pct = pct_awards[t]
                if by_pct > award:
                    award = by_pct
        # ECO-11 / E-9, ECO-5, ECO-14: not evaluated or void
        status = AWARDED
        skipped = False
        if is_early:
            reasons |= R11
            if e < add_months_day(s, min_months, cal_first_day, packed, month_start, month_len):
                status, skipped, reasons = NOT_EVALUATED, True, R11
            elif e >= add_months_day(s, 12, cal_first_day, packed, month_start, month_len):
                status, skipped, reasons = VOID, True, R11 | R5 | R14
        elif late_upload:
            status, skipped, reasons = VOID, True, R5 | R14
        if not skipped and has_void and void[i]:
            status, skipped, reasons = VOID, True, R14
        # ECO-10: maintenance when driving rose, within the Seoul average in force (E-5, E-8)
        if not positive and not skipped:
            m = maint_award[u - tables_lo[2]]
            if m != NO_VALUE and s >= maint_from[u - tables_lo[2]]:
                average = average_in_force[u - tables_lo[2]]
                if average == NO_VALUE:
                    err[i] = MISSING_AVERAGE_IN_FORCE
                    continue
                if driven_num <= average * d:
                    award = m
        table_award = award
        if is_early and not skipped:
            award = award * d // (DAYS * unit) * unit  # ECO-11: × days / 365, truncated
        mileage = np.int64(0) if skipped else award
        paid = mileage > 0
        if not skipped and not paid:
            status = NO_AWARD
        if paid:
            reasons |= R12
        # ECO-7 / E-6: the next cycle's baseline
        if has_first and first_den[i] > 0:
            fn = first_num[i]
            fd = first_den[i]
        else:
            fn = bn
            fd = bd
        changed_through = changed or (has_before and changed_before[i])
        if paid and positive and not changed_through:
            o_nnum[i] = end_km[i] * DAYS
            o_nden[i] = e - reg
        else:
            o_nnum[i] = fn
            o_nden[i] = fd
        o_days[i] = d
        o_status[i] = status
        o_kind[i] = (REGULAR if positive else MAINTENANCE) if paid else NO_KIND
        o_mileage[i] = mileage
        o_table_award[i] = np.int64(0) if skipped else table_award
        o_paid[i] = paid
        o_payment[i] = payment[u - tables_lo[2]]
        o_reasons[i] = reasons
        o_bnum[i] = bn
        o_bden[i] = bd
        o_fnum[i] = fn
        o_fden[i] = fd
        o_nchanged[i] = changed_through
        # E-13: displayed values from the exact rationals; NaN where RULES-CLI shows null
        # (void / not evaluated; no rate with a baseline of 0, E-6)
        if skipped:
            o_baseline[i] = o_driven[i] = o_reduction[i] = o_pct[i] = np.nan
        else:
            o_baseline[i] = _round_2dp(bn, bd)
            o_driven[i] = _round_2dp(driven_num, d)
            o_reduction[i] = _round_2dp(r, q)
            o_pct[i] = _round_2dp(r * 100, p) if p > 0 else np.nan
