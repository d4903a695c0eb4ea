"""[interp] WALK-5 / WALK-1: the days of a walking campaign (걷기 캠페인) and its reward.

A campaign runs on a day of the month (걷기의 날: every 11th) between its dates, or on every day
of its dates (걸어서 출근한데이 week). A participant who walked at least the campaign's threshold
(counted steps, WALK-1) on a campaign day earns the campaign's fixed reward, which may not exceed
`walk.campaign_reward_max_mileage`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from mileage.rules.params import Parameters

REWARD_MAX = "walk.campaign_reward_max_mileage"


def is_campaign_day(on: date, starts_on: date, ends_on: date, day_of_month: int | None) -> bool:
    """[interp] WALK-5: `on` is one of the campaign's days. A day of month a month lacks (31 in
    April) falls on that month's last day, so a month is never skipped."""
    if not starts_on <= on <= ends_on:
        return False
    if day_of_month is None:
        return True
    last = calendar.monthrange(on.year, on.month)[1]
    return on.day == min(day_of_month, last)


def campaign_days(
    starts_on: date, ends_on: date, day_of_month: int | None, until: date | None = None
) -> list[date]:
    """[interp] WALK-5: the campaign's days from its start to its end (or `until`, if earlier)."""
    end = min(ends_on, until) if until is not None else ends_on
    if day_of_month is None:
        return [starts_on + timedelta(days=n) for n in range((end - starts_on).days + 1)]
    out: list[date] = []
    year, month = starts_on.year, starts_on.month
    while date(year, month, 1) <= end:
        last = calendar.monthrange(year, month)[1]
        day = date(year, month, min(day_of_month, last))
        if starts_on <= day <= end:
            out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def reward_max_mileage(params: Parameters, on: date) -> int:
    """[interp] WALK-5: the most one campaign day may pay one participant."""
    return int(params.at(REWARD_MAX, on))


def reward_for(steps: int, min_steps: int | None, reward_mileage: int) -> int:
    """[interp] WALK-5: the campaign's fixed reward when the day's counted steps reach the
    threshold, else 0 (no partial reward)."""
    if reward_mileage <= 0 or min_steps is None or steps < min_steps:
        return 0
    return reward_mileage
