"""WALK-1 [interp]: fair play flags (부정 걸음 방지), one per situation, with the honest cases."""

from __future__ import annotations

from datetime import date

from mileage.rules import default_parameters
from mileage.rules.walk import fairplay
from mileage.rules.walk.fairplay import DayFacts

ON = date(2026, 5, 11)
P = default_parameters()
ORDINARY = [8000, 9500, 7000, 11000, 6500, 9000, 10000, 8500, 7500, 9000]  # median 8,750


def codes(facts: DayFacts) -> list[str]:
    return [f.code for f in fairplay.review_day(facts, P).flags]


def marathon_hours() -> list[int]:
    """An honest marathon: ~10,500 steps an hour for 4 hours, an ordinary rest of the day."""
    hours = [0] * 24
    for h in range(7, 11):
        hours[h] = 10_500
    for h in range(12, 22):
        hours[h] = 700
    return hours


def test_walk1_ordinary_day_has_no_flags() -> None:
    assert codes(DayFacts(ON, 9000, history=ORDINARY)) == []


def test_walk1_honest_marathon_with_its_hours_is_not_held() -> None:
    hours = marathon_hours()
    facts = DayFacts(ON, sum(hours), hourly=hours)  # 49,000 steps, no history
    assert codes(facts) == []


def test_walk1_shaken_phone_cadence_is_held_with_korean_reason() -> None:
    hours = [0] * 8 + [16_000] * 4 + [0] * 12  # 64,000 in four "hours" of 16,000
    review = fairplay.review_day(DayFacts(ON, sum(hours), hourly=hours), P)
    assert [f.code for f in review.flags] == ["cadence"]
    assert "4시간" in review.flags[0].reason and "16,000보" in review.flags[0].reason
    assert review.flags[0].clause == "WALK-1 [interp]"


def test_walk1_two_fast_hours_are_not_enough_for_cadence() -> None:
    hours = [0] * 8 + [16_000] * 2 + [1_000] * 14
    assert codes(DayFacts(ON, sum(hours), hourly=hours)) == []


def test_walk1_hand_entered_steps_above_share_and_amount_are_held() -> None:
    review = fairplay.review_day(DayFacts(ON, 12_000, manual_steps=5_000), P)
    assert [f.code for f in review.flags] == ["manual"]
    assert "5,000보를 손으로 입력" in review.flags[0].reason


def test_walk1_a_few_hand_entered_steps_are_not_held() -> None:
    assert codes(DayFacts(ON, 12_000, manual_steps=1_500)) == []  # under 2,000
    assert codes(DayFacts(ON, 40_000, manual_steps=4_000)) == []  # 10 %, under 20 %


def test_walk1_day_above_hold_cap_is_held_and_at_cap_is_not() -> None:
    assert codes(DayFacts(ON, 70_000)) == []
    assert codes(DayFacts(ON, 70_001)) == ["over_cap"]


def test_walk1_day_far_above_own_history_is_held() -> None:
    review = fairplay.review_day(DayFacts(ON, 50_000, history=ORDINARY), P)
    assert [f.code for f in review.flags] == ["spike"]
    assert "8,750보" in review.flags[0].reason


def test_walk1_spike_needs_enough_history() -> None:
    assert codes(DayFacts(ON, 50_000, history=ORDINARY[:6])) == []  # 6 days < 7
    assert codes(DayFacts(ON, 50_000)) == []  # a new walker


def test_walk1_spike_below_the_absolute_floor_is_not_held() -> None:
    assert codes(DayFacts(ON, 25_000, history=[2_000] * 20)) == []  # 12.5 × median, < 30,000


def test_walk1_spike_within_factor_is_not_held() -> None:
    assert codes(DayFacts(ON, 40_000, history=[9_000] * 20)) == []  # 4.4 × median


def test_walk1_spike_confirmed_by_another_source_is_cleared() -> None:
    review = fairplay.review_day(DayFacts(ON, 50_000, history=ORDINARY, other_sources=[45_000]), P)
    assert review.flags == []
    assert [f.code for f in review.cleared] == ["spike"]
    assert "45,000보" in review.cleared[0].reason


def test_walk1_another_source_far_below_does_not_confirm() -> None:
    review = fairplay.review_day(DayFacts(ON, 50_000, history=ORDINARY, other_sources=[9_000]), P)
    assert [f.code for f in review.flags] == ["spike"]


def test_walk1_confirmation_clears_only_the_spike() -> None:
    facts = DayFacts(ON, 75_000, history=ORDINARY, other_sources=[75_000])
    assert codes(facts) == ["over_cap"]


def test_walk1_one_device_for_several_members_is_held() -> None:
    review = fairplay.review_day(DayFacts(ON, 9_000, device_members=3), P)
    assert [f.code for f in review.flags] == ["shared_device"]
    assert "3명" in review.flags[0].reason
    assert codes(DayFacts(ON, 9_000, device_members=1)) == []


def test_walk1_thresholds_are_dated_parameters() -> None:
    cheaper = P.with_overrides({"walk.fairplay_hold_cap_steps": {"2026-01-01": 20_000}})
    assert [f.code for f in fairplay.review_day(DayFacts(ON, 25_000), cheaper).flags] == [
        "over_cap"
    ]


def test_walk1_every_flag_has_a_korean_label() -> None:
    assert set(fairplay.LABELS) == {"manual", "over_cap", "cadence", "spike", "shared_device"}
