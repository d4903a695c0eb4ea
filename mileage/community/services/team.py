"""Team challenges (팀 챌린지): a crew's total counted steps (WALK-1) toward a goal in a period.

[interp] WALK-5: on success every member of the crew at the end of the period who walked at
least one counted day in it receives the challenge's reward in mileage, paid once per member
(ledger key `walk:team:<challenge>:<member>`, even if two of their crews reached it) from the
sponsor's account, or from the walking budget when the challenge has no sponsor. Settled after
the period by the daily task `community.settle_team_challenges`; a rerun, or two runs at once,
pays nobody twice (the entry row is locked, and the ledger refuses a second payment per key).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.models import Account

from .. import rates
from ..errors import AlreadyMember, ChallengeClosed
from ..models import Crew, TeamChallenge, TeamEntry
from .crews import active, member_steps, members_on

log = logging.getLogger(__name__)
PROGRAMME = "walk"


def open_challenges(today: dt.date | None = None) -> list[TeamChallenge]:
    today = today or timezone.localdate()
    return list(TeamChallenge.objects.filter(ends_on__gte=today).order_by("ends_on"))


def take_challenge(
    member: Any, crew: Crew, challenge: TeamChallenge, *, today: dt.date | None = None
) -> TeamEntry:
    """A crew member enters the crew into an open challenge (once per crew)."""
    if challenge.ends_on < (today or timezone.localdate()):
        raise ChallengeClosed()
    entry, created = TeamEntry.objects.get_or_create(
        challenge=challenge, crew=crew, defaults={"entered_by": member}
    )
    if not created:
        raise AlreadyMember(
            "이미 이 모임이 참여한 팀 챌린지입니다.", code="community.already_entered"
        )
    return entry


def progress(entry: TeamEntry) -> int:
    """Counted steps of the crew's current members within the challenge's dates so far."""
    c = entry.challenge
    ids = list(active(entry.crew).values_list("member_id", flat=True))
    return sum(member_steps(ids, c.starts_on, c.ends_on).values())


def _source(challenge: TeamChallenge) -> Account:
    if challenge.sponsor_id:
        return ledger.account("sponsor", partner=challenge.sponsor_id)
    return ledger.account("budget", programme=PROGRAMME)


def settle_entry(entry_id: int, *, today: dt.date | None = None) -> int:
    """Settle one entry whose period is over; returns members rewarded now (0 if settled)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        entry = (
            TeamEntry.objects.select_for_update()
            .select_related("challenge", "crew")
            .get(pk=entry_id)
        )
        c = entry.challenge
        if entry.settled_at is not None or not _final(c, today):
            return 0
        steps = member_steps(members_on(entry.crew, c.ends_on), c.starts_on, c.ends_on)
        total = sum(steps.values())
        walked = sorted(m for m, s in steps.items() if s > 0)
        reached = total >= c.goal_steps
        paid = 0
        if reached:
            source = _source(c)
            for member_id in walked:
                ledger.transfer(
                    f"walk:team:{c.pk}:{member_id}",
                    source,
                    ledger.account("wallet", user=member_id),
                    c.reward_mileage,
                    kind="award",
                    memo=f"팀 챌린지 달성: {c.title} ({entry.crew.name})",
                    effective_on=c.ends_on,
                )
                paid += 1
        entry.settled_at, entry.total_steps = timezone.now(), total
        entry.reached, entry.rewarded_members = reached, paid
        entry.save(update_fields=["settled_at", "total_steps", "reached", "rewarded_members"])
    log.info("team entry settled entry=%s reached=%s paid=%s", entry_id, reached, paid)
    return paid


def _final(challenge: TeamChallenge, today: dt.date) -> bool:
    """[interp] WALK-1: the period's last day is final `walk.ranking_final_after_days` after it
    (apps send a day's total late), so a crew is never judged before its last steps arrive."""
    return challenge.ends_on + dt.timedelta(days=rates.ranking_final_after_days(today)) < today


def settle_team_challenges(today: dt.date | None = None) -> int:
    """Batch: settle every entry of a challenge whose days are all final; returns members
    rewarded."""
    today = today or timezone.localdate()
    final_days = dt.timedelta(days=rates.ranking_final_after_days(today))
    ids = TeamEntry.objects.filter(
        settled_at=None, challenge__ends_on__lt=today - final_days
    ).values_list("pk", flat=True)
    paid = 0
    for entry_id in list(ids):
        try:
            paid += settle_entry(entry_id, today=today)
        except Exception:  # a batch's outer loop: log the case, go on (STYLE §5)
            log.exception("team settle failed entry=%s", entry_id)
    return paid
