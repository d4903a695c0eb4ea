"""C-4: the input bounds under which the batch path's int64 arithmetic cannot overflow.

All exact quantities are int64 rationals. With every odometer value at most MAX_KM and every date
in FIRST_DATE..LAST_INPUT_DATE (so every day count, including days since first registration, is at
most MAX_DAYS), the largest intermediate is the numerator of the rounded percentage,
``2 * 100 * 100 * |reduction numerator|`` with ``|reduction numerator| <= 365 * MAX_KM * MAX_DAYS``:

    20,000 * 365 * 10,000,000 * 109,572 = 8.0e18  <  2**63 - 1 = 9.22e18

A baseline fed back from an earlier cycle (ECO-7) must keep to the same bounds as one the batch
computes: numerator at most ``365 * MAX_KM``, denominator 1..MAX_DAYS. Inputs outside these bounds
are refused with ``InvalidCase`` naming the column and the first offending row.
"""

from __future__ import annotations

from mileage.rules.arith import DAYS_PER_YEAR
from mileage.rules.batch.calendar import FIRST_DAY, LAST_INPUT_DAY

MAX_KM = 10_000_000
MAX_DAYS = LAST_INPUT_DAY - FIRST_DAY  # 109,572 days: 1900-01-01 .. 2199-12-31
MAX_BASELINE_NUM = DAYS_PER_YEAR * MAX_KM
INT64_MAX = 2**63 - 1
LARGEST_INTERMEDIATE = 2 * 100 * 100 * DAYS_PER_YEAR * MAX_KM * MAX_DAYS
assert LARGEST_INTERMEDIATE < INT64_MAX, "C-4: batch bounds would overflow int64"
