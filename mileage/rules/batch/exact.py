"""C-4, E-13: exact integer arithmetic helpers for the batch path (int64, no float decisions).

Every exact quantity of the batch path is a rational ``num / den`` of two int64 arrays with
``den > 0``. Decisions compare such rationals by cross-multiplication; only the displayed values
become floats, rounded half away from zero to 2 decimals from the exact rational.
"""

from __future__ import annotations

import numpy as np

# Floats represent every integer below 2**53 exactly, and for 0 <= a < 2**53, b >= 1 the floor of
# the correctly rounded float quotient a / b equals the integer quotient a // b: the true
# quotient's distance to the next integer is at least 1/b, larger than the rounding error
# (a/b) * 2**-53 whenever a < 2**53. That lets the display rounding use the fast float division.
FLOAT_EXACT_LIMIT = 2**53


def round_2dp(num: np.ndarray, den: np.ndarray | int, num_bound: int) -> np.ndarray:
    """E-13: ``num / den`` rounded half away from zero to 2 decimals, as float64.

    Computed exactly: cents = floor((200 |num| + den) / (2 den)), with the sign of ``num``; the
    float is ``cents / 100`` (the double nearest to the decimal, as ``float(Decimal)`` gives).
    ``num_bound`` is an upper bound of ``|num|`` known from the validated inputs; it decides
    whether the float quotient is exact (see FLOAT_EXACT_LIMIT) or int64 division is needed.
    """
    den_max = int(np.max(den)) if isinstance(den, np.ndarray) else int(den)
    scaled = np.abs(num) * 200
    scaled += den
    twice = np.multiply(den, 2)
    if 200 * num_bound + den_max < FLOAT_EXACT_LIMIT:
        cents = np.floor(scaled / twice)
    else:
        cents = (scaled // twice).astype(np.float64)
    np.copysign(cents, num, out=cents)
    cents /= 100.0
    return cents
