"""Synthetic walkers for the fair-play figures (WALK-1 [interp], issue #11), seeded and reproducible.

Each generator returns plain rows: step reports `(member, day, steps)` per source and extras
`(member, StepRow)` for the feed's side table. Honest profiles spread a day's steps over waking
hours (a marathon: ~10,500 an hour for four hours); cheating profiles are a phone shaken for
hours (15,000-18,000 an hour), steps typed in by hand, one device for several accounts, a
sudden spike without hours.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from mileage.walking.services.feed import StepRow, device_hash

HONEST = ("ordinary", "marathon", "hiker", "newcomer", "two_sources")
CHEATS = ("shaker", "hand_entered", "device_farm", "spike")


@dataclass
class Day:
    steps: int
    hourly: tuple[int, ...] | None = None
    manual: int = 0
    device: str = ""
    second_source: int | None = None  # another app's total (a watch besides the phone)


@dataclass
class Walker:
    kind: str
    days: dict[dt.date, Day] = field(default_factory=dict)
    cheat_days: set[dt.date] = field(default_factory=set)

    @property
    def honest(self) -> bool:
        return self.kind in HONEST


def spread(steps: int, rng: random.Random, first: int = 7, last: int = 21) -> tuple[int, ...]:
    """A plausible day: `steps` over waking hours, uneven, summing exactly."""
    weights = [rng.random() + 0.2 for _ in range(first, last)]
    total = sum(weights)
    hours = [0] * 24
    for h, w in zip(range(first, last), weights, strict=True):
        hours[h] = int(steps * w / total)
    hours[rng.randrange(first, last)] += steps - sum(hours)
    return tuple(hours)


def marathon(rng: random.Random) -> tuple[int, ...]:
    hours = list(spread(rng.randint(4_000, 9_000), rng))
    start = rng.randint(6, 9)
    for h in range(start, start + 4):
        hours[h] = rng.randint(9_800, 11_200)
    return tuple(hours)


def hike(rng: random.Random) -> tuple[int, ...]:
    hours = list(spread(rng.randint(3_000, 6_000), rng))
    for h in range(7, 15):
        hours[h] = rng.randint(4_800, 7_200)
    return tuple(hours)


def shaken(rng: random.Random) -> tuple[int, ...]:
    hours = [0] * 24
    for h in range(rng.randint(0, 8), 24):
        if sum(hours) > 80_000:
            break
        hours[h] = rng.randint(15_000, 18_000)
    return tuple(hours)


def ordinary_day(rng: random.Random, habit: int, with_hours: bool) -> Day:
    steps = max(0, min(int(rng.gauss(habit, habit * 0.3)), 30_000))
    return Day(steps, spread(steps, rng) if with_hours else None)


def walkers(
    n: int, days: Sequence[dt.date], judged: int, rng: random.Random, share_cheats: float = 0.1
) -> list[Walker]:
    """`n` labelled walkers over `days` (oldest first); the last `judged` days are the ones the
    benchmark accrues and counts, the earlier ones are history."""
    out: list[Walker] = []
    shared_device = ""
    farm_left = 0
    for i in range(n):
        cheat = rng.random() < share_cheats
        kind = rng.choice(CHEATS) if cheat else rng.choices(HONEST, [70, 8, 8, 8, 6])[0]
        w = Walker(kind)
        habit = rng.choice([3_000, 5_000, 7_000, 9_000, 11_000])
        with_hours = rng.random() < 0.5 or kind in ("marathon", "hiker", "shaker")
        target = days[-rng.randint(1, judged)]  # the special day, among the judged ones
        own_device = device_hash(f"bench-device-{i}") if rng.random() < 0.5 else ""
        for on in days:
            if kind == "newcomer" and on < days[-judged]:
                continue  # no history
            day = ordinary_day(rng, habit, with_hours)
            day.device = own_device
            if on == target:
                if kind == "marathon":
                    day = Day(0, marathon(rng), device=own_device)
                elif kind in ("hiker", "two_sources"):
                    day = Day(0, hike(rng), device=own_device)
                elif kind == "newcomer" and rng.random() < 0.5:
                    day = Day(0, hike(rng))
                if day.hourly is not None:
                    day.steps = sum(day.hourly)
                if kind == "two_sources":  # the watch agrees within a few percent
                    day.second_source = int(day.steps * rng.uniform(0.9, 1.0))
            if kind in CHEATS and on >= target:
                w.cheat_days.add(on)
                if kind == "shaker":
                    day = Day(0, shaken(rng), device=own_device)
                    day.steps = sum(day.hourly or ())
                elif kind == "hand_entered":
                    day.manual = rng.randint(5_000, 20_000)
                    day.steps += day.manual
                    if day.hourly is not None:
                        day.hourly = spread(day.steps, rng)
                elif kind == "spike":
                    day = Day(rng.randint(40_000, 95_000))
                elif kind == "device_farm":
                    if farm_left == 0:
                        shared_device = device_hash(f"bench-farm-{i}")
                        farm_left = 3
                    day.device = shared_device
            w.days[on] = day
        if kind == "device_farm":
            farm_left = max(0, farm_left - 1)
        out.append(w)
    return out


def rows(
    ids: Sequence[int], ws: Sequence[Walker]
) -> tuple[
    list[tuple[int, dt.date, int]], list[tuple[int, StepRow]], list[tuple[int, dt.date, int]]
]:
    """(first source's reports, its extras, second source's reports) for `ids` (same order)."""
    first: list[tuple[int, dt.date, int]] = []
    extras: list[tuple[int, StepRow]] = []
    second: list[tuple[int, dt.date, int]] = []
    for member, w in zip(ids, ws, strict=True):
        for on, d in w.days.items():
            first.append((member, on, d.steps))
            row = StepRow("", on, d.steps, manual_steps=d.manual, hourly=d.hourly, device=d.device)
            if row.has_extras:
                extras.append((member, row))
            if d.second_source is not None:
                second.append((member, on, d.second_source))
    return first, extras, second
