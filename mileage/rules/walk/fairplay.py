"""WALK-1 [interp]: fair play (부정 걸음 방지). Which counted member-days are held for review.

WALK-1 counts the steps a source measured. A day that looks measured by something other than a
person walking (a phone shaken in place, steps typed in by hand, one phone for several accounts)
is not refused: it is held (보류) with reasons a citizen can read, and an official pays it or not.
Every threshold is a dated parameter `walk.fairplay_*` (clause WALK-1, `interpretation: true`).

Pure: the caller gathers a member-day's facts (`DayFacts`) and gets the flags back.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from mileage.rules.params import Parameters

CLAUSE = "WALK-1 [interp]"

MANUAL = "manual"
OVER_CAP = "over_cap"
CADENCE = "cadence"
SPIKE = "spike"
SHARED_DEVICE = "shared_device"

# The short Korean name of each flag (filters, counts); the reason sentence says the numbers.
LABELS: dict[str, str] = {
    MANUAL: "손으로 입력한 걸음",
    OVER_CAP: "하루 걸음 수가 지나치게 많음",
    CADENCE: "사람이 걸을 수 없는 속도",
    SPIKE: "평소보다 지나치게 많은 걸음",
    SHARED_DEVICE: "여러 회원이 쓰는 기기",
}


@dataclass(frozen=True)
class DayFacts:
    """One member-day as the accrual sees it (WALK-1: `steps` is the largest source's total)."""

    on: date
    steps: int
    manual_steps: int = 0  # of the counted source: steps it marks as entered by hand
    hourly: Sequence[int] | None = None  # of the counted source: 24 per-hour counts, if sent
    history: Sequence[int] = ()  # the walker's counted steps on their days in the window before
    other_sources: Sequence[int] = ()  # the other sources' totals of the same day
    device_members: int = 1  # members reporting through the member's device that day (largest)


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str  # Korean, with the numbers, for the citizen and the official
    clause: str = CLAUSE

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason, "clause": self.clause}


@dataclass(frozen=True)
class Review:
    """The flags that hold the day, and the ones a rule cleared automatically (with why)."""

    flags: list[Flag] = field(default_factory=list)
    cleared: list[Flag] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.flags)


def _p(params: Parameters, name: str, on: date) -> Fraction:
    return Fraction(params.at(f"walk.fairplay_{name}", on))


def manual_flag(facts: DayFacts, params: Parameters) -> Flag | None:
    """WALK-1 [interp] 손으로 입력한 걸음: hand-entered steps above both the amount and the share
    the city sets (`walk.fairplay_manual_min_steps`, `walk.fairplay_manual_share_pct`)."""
    least = _p(params, "manual_min_steps", facts.on)
    share = _p(params, "manual_share_pct", facts.on)
    if facts.steps <= 0 or facts.manual_steps <= least:
        return None
    if facts.manual_steps * 100 <= share * facts.steps:
        return None
    return Flag(
        MANUAL,
        f"걸음 {facts.steps:,}보 중 {facts.manual_steps:,}보를 손으로 입력했습니다"
        f" (기준: {int(least):,}보와 {float(share):g}% 초과).",
    )


def over_cap_flag(facts: DayFacts, params: Parameters) -> Flag | None:
    """WALK-1 [interp] a day above the hold cap (`walk.fairplay_hold_cap_steps`), below the
    absurd total the feed refuses."""
    cap = int(_p(params, "hold_cap_steps", facts.on))
    if facts.steps <= cap:
        return None
    return Flag(
        OVER_CAP, f"하루 {facts.steps:,}보로, 확인 없이 지급하는 한도 {cap:,}보를 넘었습니다."
    )


def cadence_flag(facts: DayFacts, params: Parameters) -> Flag | None:
    """WALK-1 [interp] 사람이 걸을 수 없는 속도: at least `walk.fairplay_cadence_hours` hours above
    `walk.fairplay_cadence_steps_per_hour` (a marathon runs ~11,000 an hour for four hours)."""
    if not facts.hourly:
        return None
    per_hour = int(_p(params, "cadence_steps_per_hour", facts.on))
    hours = int(_p(params, "cadence_hours", facts.on))
    fast = [h for h in facts.hourly if h > per_hour]
    if len(fast) < hours:
        return None
    return Flag(
        CADENCE,
        f"{len(fast)}시간 동안 시간당 {per_hour:,}보를 넘게 걸은 것으로 기록되었습니다"
        f" (가장 많은 시간 {max(fast):,}보). 사람이 계속 걷기 어려운 속도입니다.",
    )


def spike_flag(facts: DayFacts, params: Parameters) -> Flag | None:
    """WALK-1 [interp] 평소보다 지나치게 많은 걸음: above `walk.fairplay_spike_factor` × the median
    of the walker's own days in the window and above `walk.fairplay_spike_floor_steps`; judged
    only with `walk.fairplay_spike_min_days` days of history (a new walker is never held for it)."""
    floor = int(_p(params, "spike_floor_steps", facts.on))
    if facts.steps <= floor or len(facts.history) < int(_p(params, "spike_min_days", facts.on)):
        return None
    median = Fraction(statistics.median(sorted(facts.history)))
    factor = _p(params, "spike_factor", facts.on)
    if facts.steps <= factor * median:
        return None
    return Flag(
        SPIKE,
        f"하루 {facts.steps:,}보로, 최근 {len(facts.history)}일 평소 걸음(중앙값"
        f" {int(median):,}보)의 {float(factor):g}배를 넘었습니다.",
    )


def confirmed_by_other_source(facts: DayFacts, params: Parameters) -> int | None:
    """WALK-1 [interp] another source (a watch besides the phone) reported at least
    `walk.fairplay_confirm_share_pct` of the counted steps: the largest such total, or None."""
    share = _p(params, "confirm_share_pct", facts.on)
    agreeing = [s for s in facts.other_sources if s * 100 >= share * facts.steps]
    return max(agreeing) if agreeing and facts.steps > 0 else None


def shared_device_flag(facts: DayFacts, params: Parameters) -> Flag | None:
    """WALK-1 [interp] 여러 회원이 쓰는 기기: one device reported for more members than
    `walk.fairplay_device_members` on the same day."""
    most = int(_p(params, "device_members", facts.on))
    if facts.device_members <= most:
        return None
    return Flag(
        SHARED_DEVICE,
        f"같은 기기로 이날 {facts.device_members}명의 걸음이 기록되었습니다.",
    )


def review_day(facts: DayFacts, params: Parameters) -> Review:
    """WALK-1 [interp]: the flags of one member-day, in a fixed order.

    Automatic clearing: a "far above history" day (spike) that another source independently
    confirms (`confirmed_by_other_source`) is not held; the flag is reported as cleared.
    """
    flags = [
        f
        for f in (
            manual_flag(facts, params),
            over_cap_flag(facts, params),
            cadence_flag(facts, params),
            spike_flag(facts, params),
            shared_device_flag(facts, params),
        )
        if f is not None
    ]
    cleared: list[Flag] = []
    spike = next((f for f in flags if f.code == SPIKE), None)
    if spike is not None:
        other = confirmed_by_other_source(facts, params)
        if other is not None:
            flags.remove(spike)
            cleared.append(Flag(SPIKE, f"다른 기기가 같은 날 {other:,}보를 기록해 확인되었습니다."))
    return Review(flags, cleared)


def needs_history(steps: int, params: Parameters, on: date) -> bool:
    """Whether `spike_flag` could hold a day of `steps` (the accrual reads history only then)."""
    return steps > int(_p(params, "spike_floor_steps", on))


def history_window_days(params: Parameters, on: date) -> int:
    return int(_p(params, "spike_window_days", on))
