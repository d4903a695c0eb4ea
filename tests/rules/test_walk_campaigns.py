"""[interp] WALK-5: the days of a walking campaign and its reward (pure rules, no database)."""

from __future__ import annotations

from datetime import date

from mileage.rules import default_parameters
from mileage.rules.walk.campaigns import (
    campaign_days,
    is_campaign_day,
    reward_for,
    reward_max_mileage,
)


def test_walk5_walking_day_campaign_is_the_11th_of_each_month_within_its_dates():
    days = campaign_days(date(2026, 1, 15), date(2026, 5, 10), 11)
    assert days == [date(2026, 2, 11), date(2026, 3, 11), date(2026, 4, 11)]
    assert is_campaign_day(date(2026, 3, 11), date(2026, 1, 15), date(2026, 5, 10), 11)
    assert not is_campaign_day(date(2026, 3, 12), date(2026, 1, 15), date(2026, 5, 10), 11)
    assert not is_campaign_day(date(2026, 5, 11), date(2026, 1, 15), date(2026, 5, 10), 11)


def test_walk5_a_date_range_campaign_counts_every_day_until_today():
    days = campaign_days(date(2026, 6, 1), date(2026, 6, 7), None, until=date(2026, 6, 3))
    assert days == [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]


def test_walk5_day_31_falls_on_the_last_day_of_a_shorter_month():
    days = campaign_days(date(2026, 1, 1), date(2026, 4, 30), 31)
    assert days == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_walk5_reward_only_from_the_threshold_and_within_the_dated_bound():
    assert reward_for(7_999, 8_000, 300) == 0
    assert reward_for(8_000, 8_000, 300) == 300
    assert reward_for(20_000, None, 300) == 0
    assert reward_max_mileage(default_parameters(), date(2026, 12, 11)) == 1000
