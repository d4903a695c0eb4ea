"""C-4 / E-13: the integer-only helpers of the fast scalar path equal exact `Fraction` arithmetic.

`display` rounds in integers and `Ratio` keeps rationals unreduced; both must give exactly what
`Fraction` and `round_half_away` give, for any size of value (the batch path feeds back
baselines up to 365 × 10,000,000 km over 109,572 days).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mileage.rules.arith import Ratio, display, format_km, format_pct, round_half_away

numerators = st.integers(-(10**22), 10**22)
denominators = st.integers(1, 10**12)


@settings(max_examples=2000)
@given(num=numerators, den=denominators)
def test_e13_display_in_integers_equals_float_of_exact_rounding(num: int, den: int) -> None:
    value = Fraction(num, den)
    expected = float(round_half_away(value))
    assert display(value) == expected
    assert display(Ratio(num, den)) == expected
    assert format_km(Ratio(num, den)) == f"{expected:,.2f}"


@pytest.mark.parametrize(
    ("num", "den", "shown"),
    [(1, 200, 0.01), (-1, 200, -0.01), (1, 201, 0.0), (-1, 201, 0.0), (5, 1000, 0.01)],
)
def test_e13_half_cent_rounds_away_from_zero_and_never_shows_minus_zero(
    num: int, den: int, shown: float
) -> None:
    got = display(Ratio(num, den))
    assert got == shown
    assert str(got) == str(shown)  # -0.0 would print "-0.0"


def test_e13_display_keeps_ints_floats_and_none() -> None:
    assert display(None) is None
    assert display(10183) == 10183.0
    assert display(0.125) == 0.13  # a float means its exact binary value, as Fraction(0.125)


@settings(max_examples=1000)
@given(a=numerators, b=denominators, c=numerators, d=denominators)
def test_c4_ratio_arithmetic_and_comparisons_equal_fraction(a: int, b: int, c: int, d: int) -> None:
    x, y = Ratio(a, b), Ratio(c, d)
    fx, fy = Fraction(a, b), Fraction(c, d)
    assert (x - y).fraction() == fx - fy
    assert (x + y).fraction() == fx + fy
    assert (x * y).fraction() == fx * fy
    assert (x * 100).fraction() == fx * 100
    assert (-x).fraction() == -fx
    if c:
        assert (x / y).fraction() == fx / fy
        assert (x / y).denominator > 0
    assert (x >= y) == (fx >= fy)
    assert (x <= fy) == (fx <= fy)
    assert (x < y) == (fx < fy)
    assert (x > 0) == (fx > 0)
    assert (x == fy) == (fx == fy)
    assert bool(x) == bool(fx)
    assert format_pct(x) == format_pct(fx)


def test_c4_ratio_refuses_a_zero_denominator_and_division_by_zero() -> None:
    with pytest.raises(ValueError):
        Ratio(1, 0)
    with pytest.raises(ZeroDivisionError):
        Ratio(1, 2) / Ratio(0, 5)
