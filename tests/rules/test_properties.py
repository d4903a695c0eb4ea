"""Hypothesis properties of the eco-car rules (ECO-8..ECO-11)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mileage.rules import (
    default_parameters,
    evaluate,
    prorate,
    regular_award,
    regular_km_tiers,
    regular_pct_tiers,
)
from tests.rules.helpers import eco_case, reading

PARAMS = default_parameters()
ON = date(2024, 3, 16)
FAST = settings(max_examples=60, deadline=None)


def _case(registered_days: int, initial_km: int, cycle_days: int, driven: int, early: bool) -> dict:
    initial_on = date(2023, 3, 12)
    registered = initial_on - timedelta(days=registered_days)
    end_on = initial_on + timedelta(days=cycle_days)
    event = "end" if early else "annual"
    extra = {"ended": {"reason": "transfer", "on": end_on.isoformat()}} if early else {}
    return eco_case(
        registered.isoformat(),
        reading("initial", initial_km, initial_on.isoformat()),
        reading(event, initial_km + driven, end_on.isoformat()),
        **extra,
    )


@FAST
@given(
    registered_days=st.integers(400, 6000),
    initial_km=st.integers(0, 300000),
    cycle_days=st.integers(366, 395),
    driven=st.integers(0, 40000),
    less=st.integers(0, 40000),
)
def test_eco9_eco10_driving_less_never_earns_less(
    registered_days: int, initial_km: int, cycle_days: int, driven: int, less: int
) -> None:
    more_case = _case(registered_days, initial_km, cycle_days, driven, early=False)
    less_case = _case(registered_days, initial_km, cycle_days, max(driven - less, 0), early=False)
    more = evaluate(more_case)["cycles"][0]["mileage"]
    fewer = evaluate(less_case)["cycles"][0]["mileage"]
    assert fewer >= more


@FAST
@given(
    reduction_km=st.fractions(min_value=0, max_value=20000),
    baseline=st.fractions(min_value=Fraction(1, 100), max_value=40000),
)
def test_eco9_award_is_the_better_of_the_two_tables(
    reduction_km: Fraction, baseline: Fraction
) -> None:
    pct = reduction_km / baseline * 100
    award = regular_award(reduction_km, pct, PARAMS, ON)
    by_pct = max(m for lower, m in regular_pct_tiers(PARAMS, ON) if pct >= lower)
    by_km = max(m for lower, m in regular_km_tiers(PARAMS, ON) if reduction_km >= lower)
    assert award.mileage == max(by_pct, by_km)
    assert award.mileage >= by_pct and award.mileage >= by_km


@FAST
@given(award=st.sampled_from([10000, 20000, 30000, 50000, 70000]), days=st.integers(0, 364))
def test_eco11_a_prorated_award_never_exceeds_the_full_one(award: int, days: int) -> None:
    share = prorate(award, days, PARAMS, ON)
    assert 0 <= share <= award
    assert share % 10 == 0


@FAST
@given(
    registered_days=st.integers(400, 6000),
    initial_km=st.integers(0, 300000),
    cycle_days=st.integers(280, 364),
    driven=st.integers(0, 30000),
)
def test_eco11_early_end_earns_no_more_than_the_same_distance_over_a_full_year(
    registered_days: int, initial_km: int, cycle_days: int, driven: int
) -> None:
    early = evaluate(_case(registered_days, initial_km, cycle_days, driven, early=True))
    cycle = early["cycles"][0]
    assert cycle["status"] in ("awarded", "no-award")
    full = Fraction(max(m for _, m in regular_km_tiers(PARAMS, ON)))
    assert cycle["mileage"] <= full * cycle["days"] / 365
