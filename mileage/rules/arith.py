"""Exact arithmetic and display rounding: C-3 annualising, C-4 exact comparisons, E-13 display.

Kilometres and percentages are exact rationals from input to comparison (C-4): `Fraction`, or
the unreduced `Ratio` on the eco-car path; they become floats only for display, rounded half
away from zero to 2 decimals (E-13), in integer arithmetic.
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


def annualised_km(km: int, days: int) -> Ratio:
    """C-3 as `annualise`, for whole km: the exact `Ratio(km × 365, days)`."""
    if days <= 0:
        raise ValueError(f"C-3: cannot annualise over {days} days")
    return Ratio(km * DAYS_PER_YEAR, days)


class Ratio:
    """C-4: an exact rational `numerator / denominator` (denominator > 0), kept unreduced.

    The scalar eco-car path computes its km and % with it instead of `Fraction`: the same exact
    values, compared by integer cross-multiplication, without a gcd and type checks per
    operation (the batch kernel decides the same way in int64). It reads like a Fraction:
    `numerator`, `denominator`, `+ - * /` with ints and Ratios, comparisons with ints,
    Fractions and Ratios; `fraction()` gives the reduced `Fraction`.
    """

    __slots__ = ("denominator", "numerator")

    def __init__(self, numerator: int, denominator: int = 1) -> None:
        if denominator <= 0:
            raise ValueError("C-4: a Ratio's denominator is positive")
        self.numerator = numerator
        self.denominator = denominator

    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    def __repr__(self) -> str:
        return f"Ratio({self.numerator}, {self.denominator})"

    def __bool__(self) -> bool:
        return self.numerator != 0

    def __neg__(self) -> Ratio:
        return Ratio(-self.numerator, self.denominator)

    def __add__(self, other: Ratio | int) -> Ratio:
        n, d = other.numerator, other.denominator
        return Ratio(self.numerator * d + n * self.denominator, self.denominator * d)

    def __sub__(self, other: Ratio | int) -> Ratio:
        n, d = other.numerator, other.denominator
        return Ratio(self.numerator * d - n * self.denominator, self.denominator * d)

    def __mul__(self, other: Ratio | int) -> Ratio:
        return Ratio(self.numerator * other.numerator, self.denominator * other.denominator)

    def __truediv__(self, other: Ratio | int) -> Ratio:
        n, d = other.numerator, other.denominator
        if n == 0:
            raise ZeroDivisionError("Ratio division by zero")
        if n < 0:
            n, d = -n, -d
        return Ratio(self.numerator * d, self.denominator * n)

    # C-4: comparisons by cross-multiplication (both denominators are positive)
    def _cross(self, other: object) -> tuple[int, int] | None:
        if isinstance(other, (int, Ratio, Rational)) and not isinstance(other, bool):
            return self.numerator * other.denominator, other.numerator * self.denominator
        return None

    def __eq__(self, other: object) -> bool:
        pair = self._cross(other)
        return NotImplemented if pair is None else pair[0] == pair[1]

    def __hash__(self) -> int:
        return hash(self.fraction())

    def __lt__(self, other: object) -> bool:
        pair = self._cross(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._cross(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._cross(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._cross(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]


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


def rounded_half_away(numerator: int, denominator: int, places: int = 2) -> int:
    """E-13: `numerator / denominator × 10**places` rounded half away from zero, in integers
    (denominator > 0): `floor((2·10**places·|n| + d) / 2d)` with the sign of n."""
    twice = 2 * 10**places
    rounded = (twice * abs(numerator) + denominator) // (2 * denominator)
    return -rounded if numerator < 0 else rounded


def display(value: Fraction | Ratio | int | None, places: int = 2) -> float | None:
    """E-13: the float shown to people (JSON), rounded half away from zero; None stays None.

    Integer arithmetic only: the float is `rounded / 10**places`, Python's correctly rounded
    int division, so it equals `float(round_half_away(value))` (the nearest double to the
    rounded decimal) for every value, however large.
    """
    if value is None:
        return None
    if not isinstance(value, (int, Fraction, Ratio)):
        value = Fraction(value)  # a Decimal or a float, exactly
    return display_ratio(value.numerator, value.denominator, places)


def display_ratio(numerator: int, denominator: int, places: int = 2) -> float:
    """E-13: `display` of the exact `numerator / denominator` (denominator > 0)."""
    scale = 10**places
    rounded = (2 * scale * abs(numerator) + denominator) // (
        2 * denominator
    )  # as rounded_half_away
    return (-rounded if numerator < 0 else rounded) / scale


def truncate_to(amount: Fraction | int, unit: int) -> int:
    """ECO-11: truncate a non-negative amount down to a multiple of `unit` won (원단위 절사)."""
    return math.floor(Fraction(amount) / unit) * unit


def truncate_toward_zero(value: Fraction) -> int:
    """PILOT-6: drop the decimals (소수점 이하 절사), toward zero for negative values (E-12)."""
    return math.trunc(value)


def format_km(value: Fraction | Ratio) -> str:
    """E-13: "9,876.54" — a distance for trace lines, thousands separated, 2 decimals."""
    return f"{display(value):,.2f}"


def format_pct(value: Fraction | Ratio) -> str:
    """E-13: "19.9" — a percentage for trace lines, at most 2 decimals, no trailing zeros."""
    text = f"{display(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_mileage_ko(amount: int) -> str:
    """Korean amount as the seeds write it: 30000 → "3만", 57530 → "57,530"."""
    if amount and amount % 10000 == 0:
        return f"{amount // 10000}만"
    return f"{amount:,}"
