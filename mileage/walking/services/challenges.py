"""WALK-5: challenges. A member who reaches the goal in the period completes the challenge once:
the sponsor's pledge goes to the beneficiary (ledger key `walk:challenge:<id>:<member>`) and, if
the challenge rewards finishers, mileage goes to the member (`walk:reward:<id>:<member>`), both
in the transaction that marks the entry completed.

Goals (`Challenge.Goal`): a total of steps in the period, a number of days with at least a daily
number of steps, or every stamp point of a course checked in by a partner app (WALK-7; a member's
own "I walked it" never counts). Rewards [interp] WALK-5: to everyone who finishes, or to the
first `reward_places` finishers (선착순), never by lottery. Places are taken under the
challenge's row lock, so finishers settling at the same moment never exceed them; they go in the
order completions are settled: a stamp challenge at the check-in that completes it, a steps
goal at the member's "확정" POST or in the nightly batch, which settles in the order the goals
were reached (the day the total or the days were reached).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mileage.ledger import services as ledger

from ..errors import ChallengeClosed
from ..models import Challenge, ChallengeEntry, StampCheckIn
from ..queries import day_totals

log = logging.getLogger(__name__)

PROGRAMME = "walk"


@dataclass(frozen=True)
class Progress:
    """Where a member stands: `done` of `target` (steps, days or stamps), and when the goal was
    reached (a day for steps goals, the last stamp's moment for stamps), for first-come order."""

    done: int
    target: int
    unit: str  # 보, 일, 곳
    reached_at: dt.date | dt.datetime | None = None

    @property
    def reached(self) -> bool:
        return self.target > 0 and self.done >= self.target

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.target) if self.target else 0


def join_challenge(
    member: Any, challenge: Challenge, *, today: dt.date | None = None
) -> ChallengeEntry:
    today = today or timezone.localdate()
    if today > challenge.ends_on:
        raise ChallengeClosed()
    entry, _ = ChallengeEntry.objects.get_or_create(challenge=challenge, member=member)
    return entry


def progress(entry: ChallengeEntry) -> Progress:
    """WALK-5: the member's progress within the challenge's dates (counted steps: the largest
    source per day, WALK-1; stamps: partner check-ins within the radius, WALK-7)."""
    c = entry.challenge
    if c.goal == Challenge.Goal.STAMP:
        return _stamp_progress(entry.member_id, c)
    totals = sorted(day_totals(entry.member_id, c.starts_on, c.ends_on).items())
    if c.goal == Challenge.Goal.DAILY:
        good = [on for on, steps in totals if steps >= (c.daily_steps or 0)]
        target = c.days_required or 0
        reached = good[target - 1] if target and len(good) >= target else None
        return Progress(len(good), target, "일", reached)
    target, running, reached = c.target_steps or 0, 0, None
    for on, steps in totals:
        running += steps
        if reached is None and target and running >= target:
            reached = on
    return Progress(running, target, "보", reached)


def _stamp_progress(member_id: int, c: Challenge) -> Progress:
    """Stamps of the course's points in the period; in order when the course requires it (each
    point stamped after the previous one: the earliest such check-in is taken, greedily)."""
    points = (
        list(c.course.stamps.order_by("order").values_list("pk", flat=True)) if c.course else []
    )
    seen: dict[int, list[dt.datetime]] = {}
    for point_id, at in StampCheckIn.objects.filter(
        member_id=member_id,
        point_id__in=points,
        at__date__gte=c.starts_on,
        at__date__lte=c.ends_on,
    ).values_list("point_id", "at"):
        seen.setdefault(point_id, []).append(at)
    if c.course and c.course.stamps_in_order:
        done, last = 0, None
        for point_id in points:
            later = [at for at in seen.get(point_id, []) if last is None or at > last]
            if not later:
                break
            done, last = done + 1, min(later)
        return Progress(done, len(points), "곳", last if done == len(points) else None)
    firsts = [min(seen[p]) for p in points if p in seen]
    reached = max(firsts) if points and len(firsts) == len(points) else None
    return Progress(len(firsts), len(points), "곳", reached)


def settle_entry(
    entry: ChallengeEntry, *, today: dt.date | None = None, reached: Progress | None = None
) -> bool:
    """Complete the entry if the goal is reached and it was not completed before: pay the pledge
    and the reward (if a place is left) once; True when completed now."""
    if entry.completed_at is not None:
        return False
    c = entry.challenge
    if not (reached or progress(entry)).reached:
        return False
    effective = min(today or timezone.localdate(), c.ends_on)
    with transaction.atomic():
        locked = ChallengeEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.completed_at is not None:
            return False
        if c.pledge_won:
            ledger.transfer(
                f"walk:challenge:{c.pk}:{entry.member_id}",
                ledger.account("sponsor", partner=c.sponsor),
                ledger.account("beneficiary", name=c.beneficiary),
                c.pledge_won,
                kind="donation",
                memo=f"챌린지 달성 기부: {c.title}",
                effective_on=effective,
            )
        locked.reward_mileage = _reward(c, entry.member_id, effective) if c.reward_mileage else 0
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at", "reward_mileage"])
    entry.completed_at, entry.reward_mileage = locked.completed_at, locked.reward_mileage
    log.info(
        "challenge completed challenge=%s member=%s reward=%d",
        c.slug,
        entry.member_id,
        entry.reward_mileage,
    )
    return True


def _reward(c: Challenge, member_id: int, effective: dt.date) -> int:
    """Take a reward place under the challenge's row lock and pay it; 0 when none is left.

    Locks in the order entry → challenge (every path does), so finishers queue here one by one
    and the first-come count never passes `reward_places` (also a CHECK in the database)."""
    row = Challenge.objects.select_for_update().get(pk=c.pk)
    if row.reward_mode == Challenge.RewardMode.FIRST and row.rewards_paid >= (
        row.reward_places or 0
    ):
        return 0
    source = (
        ledger.account("sponsor", partner=row.sponsor)
        if row.reward_from == Challenge.RewardFrom.SPONSOR
        else ledger.account("budget", programme=PROGRAMME)
    )
    ledger.transfer(
        f"walk:reward:{c.pk}:{member_id}",
        source,
        ledger.account("wallet", user=member_id),
        row.reward_mileage,
        kind="award",
        memo=f"걷기 챌린지 달성 보상: {row.title}",
        effective_on=effective,
    )
    Challenge.objects.filter(pk=c.pk).update(rewards_paid=F("rewards_paid") + 1)
    c.rewards_paid = row.rewards_paid + 1
    return row.reward_mileage


def settle_challenges(today: dt.date | None = None) -> int:
    """Batch: settle every open entry of challenges that have started, first the goals reached
    earliest (first-come places go in that order); returns the entries completed now."""
    today = today or timezone.localdate()
    entries = ChallengeEntry.objects.filter(
        completed_at=None, challenge__starts_on__lte=today
    ).select_related("challenge", "challenge__course", "challenge__sponsor")
    reached: list[tuple[ChallengeEntry, Progress]] = []
    for entry in entries.iterator():
        try:
            p = progress(entry)
        except Exception:  # a batch's outer loop: log the case, go on (STYLE §5)
            log.exception("challenge progress failed entry=%s", entry.pk)
            continue
        if p.reached:
            reached.append((entry, p))
    reached.sort(key=lambda r: (r[0].challenge_id, _order(r[1].reached_at), r[0].joined_at))
    paid = 0
    for entry, p in reached:
        try:
            paid += settle_entry(entry, today=today, reached=p)
        except Exception:  # a batch's outer loop: log the case, go on (STYLE §5)
            log.exception("challenge settle failed entry=%s", entry.pk)
    return paid


def _order(at: dt.date | dt.datetime | None) -> dt.datetime:
    """A reached moment as a comparable datetime (a day's goal counts at the day's end)."""
    if isinstance(at, dt.datetime):
        return at
    day = at or dt.date.max
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def rewards_left(c: Challenge) -> int | None:
    """Reward places still open (선착순); None when every finisher is rewarded or none is."""
    return c.places_left
