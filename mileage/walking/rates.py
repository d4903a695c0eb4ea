"""The walking parameters and rules this app uses (WALK-1..4), all from `mileage.rules`.

One place that knows the parameter names and calls the rules engine's walk functions, so the
YAML files stay the only source of the numbers and `mileage.rules.walk` the only place the
formulas live.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from mileage.core.parameters import current_parameters
from mileage.rules.walk import campaigns as walk_campaigns
from mileage.rules.walk import days as walk_days
from mileage.rules.walk import donation as walk_donation

STRIDE = "walk.default_stride_m"  # WALK-2
STRIDE_RANGE = "walk.stride_range_m"  # WALK-2
DONATION_RATE = "walk.donation_won_per_km"  # WALK-4
ABSURD_STEPS = "walk.absurd_daily_steps"  # WALK-1
STEPS_PER_MILEAGE = "walk.steps_per_mileage"  # WALK-3
DONATION_CONFIRM = "walk.donation_confirm_steps"  # WALK-4 (asked to confirm from this many steps)
LATE_SYNC_DAYS = (
    "walk.late_sync_days"  # WALK-1/WALK-3 [interp] (late totals accepted and topped up)
)
STAMP_RADIUS = "walk.stamp_radius_m"  # WALK-7 [interp] (a check-in this close stamps the point)


def default_stride_m(on: dt.date) -> Fraction:
    """WALK-2: the stride used when a member has not given their own."""
    return Fraction(current_parameters().at(STRIDE, on))


def donation_rate_won_per_km(on: dt.date) -> int:
    """WALK-4: Bigwalk's 100 won per km by default; new campaigns start from this value."""
    return int(current_parameters().at(DONATION_RATE, on))


@functools.lru_cache(maxsize=4096)
def max_daily_steps(on: dt.date) -> int:
    """WALK-1: more steps than this on one member-day is refused as absurd."""
    return int(current_parameters().at(ABSURD_STEPS, on))


def min_paying_steps(on: dt.date) -> int:
    """WALK-3: below this a day earns nothing, so the accrual need not look at it."""
    return int(current_parameters().at(STEPS_PER_MILEAGE, on))


@functools.lru_cache(maxsize=262_144)
def day_mileage(on: dt.date, steps: int) -> int:
    """WALK-3: mileage of one counted member-day, as the rules engine computes it.

    Cached by (date, steps): a day of two million walkers has at most 100,001 distinct step
    counts, so the batch asks the engine once per distinct value, never once per walker.
    """
    return walk_days.day_mileage(steps, current_parameters(), on)


@functools.lru_cache(maxsize=262_144)
def paid_day_mileage(on: dt.date, steps: int, multiplier: Fraction) -> int:
    """WALK-3: mileage of a member-day with the day's bonus multiplier (1 on ordinary days), as
    the rules engine computes it; cached like `day_mileage` (one multiplier per day)."""
    if multiplier == 1:
        return day_mileage(on, steps)
    return walk_days.bonus_day_mileage(steps, multiplier, current_parameters(), on)


def bonus_multiplier(multipliers: Iterable[Decimal]) -> Fraction:
    """WALK-3: the multiplier of a day with these bonus days (the largest; 1 without any)."""
    return walk_days.bonus_multiplier(Fraction(m) for m in multipliers)


def donation_confirm_steps(on: dt.date) -> int:
    """WALK-4: a donation of at least this many steps (or of all one's steps) is confirmed first."""
    return int(current_parameters().at(DONATION_CONFIRM, on))


@functools.lru_cache(maxsize=4096)
def late_sync_days(on: dt.date) -> int:
    """WALK-1/WALK-3 [interp]: a day's total is taken (and a larger one paid) until this many days
    after the day; an older day is refused at the feed and never topped up."""
    return int(current_parameters().at(LATE_SYNC_DAYS, on))


def stamp_radius_m(on: dt.date) -> int:
    """WALK-7 [interp]: a course check-in stamps its point when it is at most this far from it."""
    return int(current_parameters().at(STAMP_RADIUS, on))


def full_day_steps(on: dt.date) -> int:
    """WALK-3: the steps that earn a day's full mileage (the daily goal shown, 만보)."""
    return walk_days.full_day_steps(current_parameters(), on)


def stride_range_m(on: dt.date) -> tuple[Fraction, Fraction]:
    """WALK-2: the accepted range of a member's own stride, inclusive (metres)."""
    bounds = current_parameters().latest(STRIDE_RANGE)
    return Fraction(bounds["from"]), Fraction(bounds["to"])


def steps_km(steps: int, stride_m: Fraction) -> Fraction:
    """WALK-2: distance of donated steps (exact)."""
    return walk_days.steps_km(steps, stride_m)


def donation_won(steps: int, stride_m: Fraction, rate_won_per_km: int, on: dt.date) -> int:
    """WALK-4: won the sponsor pays for `steps` at the campaign's own rate (the rules' formula,
    with the campaign's rate layered over the dated default for that day)."""
    params = current_parameters().with_overrides({DONATION_RATE: {on.isoformat(): rate_won_per_km}})
    return walk_donation.donation_won_for_steps(steps, stride_m, params, on)


def campaign_reward_max_mileage(on: dt.date) -> int:
    """[interp] WALK-5: the most a walking campaign may pay one participant for one day."""
    return walk_campaigns.reward_max_mileage(current_parameters(), on)
