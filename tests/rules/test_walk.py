"""WALK-1..WALK-4: member-days, stride, mileage cap, donation value."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from mileage.rules import default_parameters, evaluate
from mileage.rules.walk.days import (
    StepsReport,
    bonus_day_mileage,
    bonus_multiplier,
    counted_report,
    day_mileage,
    full_day_steps,
)
from mileage.rules.walk.donation import donation_won, donation_won_for_steps

ON = date(2024, 5, 11)


@pytest.mark.parametrize(
    ("steps", "mileage"),
    [(0, 0), (99, 0), (100, 1), (4321, 43), (9999, 99), (10000, 100), (100000, 100)],
)
def test_walk3_one_mileage_per_100_steps_capped_at_100(steps: int, mileage: int) -> None:
    assert day_mileage(steps, default_parameters(), ON) == mileage


def test_walk1_largest_source_counts_never_the_sum() -> None:
    case = {
        "program": "walk",
        "days": [
            {"date": "2024-05-11", "source": "a", "steps": 3000},
            {"date": "2024-05-11", "source": "b", "steps": 4000},
            {"date": "2024-05-11", "source": "c", "steps": 4000},
        ],
    }
    (day,) = evaluate(case)["days"]
    assert (day["steps"], day["source"], day["mileage"]) == (4000, "b", 40)
    assert day["reasons"] == ["WALK-1", "WALK-3"]


def test_walk_total_km_is_the_rounded_sum_of_exact_km() -> None:
    days = [{"date": f"2024-05-{10 + i}", "source": "a", "steps": 7} for i in range(3)]
    result = evaluate({"program": "walk", "days": days})
    assert [d["km"] for d in result["days"]] == [0.0, 0.0, 0.0]  # 0.0049 km each
    assert result["total_km"] == 0.01  # 0.0147 km


@pytest.mark.parametrize(
    ("km", "won"), [(Fraction(1), 100), (Fraction(84, 10), 840), (Fraction(1, 300), 0)]
)
def test_walk4_donation_100_won_per_km(km: Fraction, won: int) -> None:
    assert donation_won(km, default_parameters(), ON) == won


def test_walk4_donated_steps_at_the_default_stride() -> None:
    assert donation_won_for_steps(12000, Fraction(7, 10), default_parameters(), ON) == 840


def test_walk1_counted_report_is_the_largest_source_first_on_a_tie() -> None:
    reports = [StepsReport(ON, "a", 300), StepsReport(ON, "b", 700), StepsReport(ON, "c", 700)]
    assert counted_report(reports).source == "b"


def test_walk3_full_day_is_10000_steps_and_follows_the_parameters() -> None:
    assert full_day_steps(default_parameters(), ON) == 10000
    raised = default_parameters().with_overrides({"walk.daily_mileage_cap": {"2024-01-01": 150}})
    assert full_day_steps(raised, ON) == 15000


@pytest.mark.parametrize(
    ("multipliers", "expected"),
    [([], 1), ([Fraction(1, 2)], 1), ([Fraction(3, 2), Fraction(2)], 2)],
)
def test_walk3_bonuses_do_not_stack_the_largest_wins(
    multipliers: list[Fraction], expected: Fraction
) -> None:
    assert bonus_multiplier(multipliers) == expected


@pytest.mark.parametrize(
    ("steps", "multiplier", "mileage"),
    [(4321, Fraction(3, 2), 64), (20000, Fraction(2), 200), (150, Fraction(5, 4), 1)],
)
def test_walk3_bonus_multiplies_the_capped_day_rounded_down(
    steps: int, multiplier: Fraction, mileage: int
) -> None:
    assert bonus_day_mileage(steps, multiplier, default_parameters(), ON) == mileage
