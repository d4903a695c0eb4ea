"""Exact arithmetic and display rounding: C-3 annualising, C-4 exact comparisons, E-13 display.

Kilometres and percentages are `Fraction`s from input to comparison (C-4); they become floats
only for display, rounded half away from zero to 2 decimals (E-13).
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Rational

DAYS_PER_YEAR = 365  # C-3: `annual_km = km_driven / days * 365`


def annualise(km: int | Fraction, days: int) -> Fraction:
    """C-3: annualised distance (연환산) `km / days * 365`; 0 days is an error."""
    if days <= 0:
        raise ValueError(f"C-3: cannot annualise over {days} days")
    return Fraction(km) * DAYS_PER_YEAR / days


def to_fraction(value: object) -> Fraction:
    """C-4: an exact rational from an int, a decimal string, a "a/b" string or a float's text."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, (int, Rational)):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))  # 0.7 means 7/10, not the binary float nearest to it
    if isinstance(value, str):
        return Fraction(value.strip())
    raise TypeError(f"not a number: {value!r}")


def round_half_away(value: Fraction, places: int = 2) -> Fraction:
    """E-13: round half away from zero to `places` decimals, exactly."""
    scale = 10**places
    scaled = abs(value) * scale
    rounded = math.floor(scaled + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return Fraction(sign * rounded, scale)


def display(value: Fraction | int | None, places: int = 2) -> float | None:
    """E-13: the float shown to people (JSON), rounded half away from zero; None stays None."""
    if value is None:
        return None
    return float(round_half_away(Fraction(value), places))


def truncate_to(amount: Fraction | int, unit: int) -> int:
    """ECO-11: truncate a non-negative amount down to a multiple of `unit` won (원단위 절사)."""
    return math.floor(Fraction(amount) / unit) * unit


def truncate_toward_zero(value: Fraction) -> int:
    """PILOT-6: drop the decimals (소수점 이하 절사), toward zero for negative values (E-12)."""
    return math.trunc(value)


def format_km(value: Fraction) -> str:
    """E-13: "9,876.54" — a distance for trace lines, thousands separated, 2 decimals."""
    return f"{float(round_half_away(value)):,.2f}"


def format_pct(value: Fraction) -> str:
    """E-13: "19.9" — a percentage for trace lines, at most 2 decimals, no trailing zeros."""
    text = f"{float(round_half_away(value)):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_mileage_ko(amount: int) -> str:
    """Korean amount as the seeds write it: 30000 → "3만", 57530 → "57,530"."""
    if amount and amount % 10000 == 0:
        return f"{amount // 10000}만"
    return f"{amount:,}"
