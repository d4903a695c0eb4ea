"""WALK-5: challenges. A member who reaches the target in the period triggers the sponsor's
pledge to the beneficiary, once per member (ledger key `walk:challenge:<id>:<member>`)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.ledger import services as ledger

from ..errors import ChallengeClosed
from ..models import Challenge, ChallengeEntry
from ..queries import period_steps

log = logging.getLogger(__name__)


def join_challenge(
    member: Any, challenge: Challenge, *, today: dt.date | None = None
) -> ChallengeEntry:
    today = today or timezone.localdate()
    if today > challenge.ends_on:
        raise ChallengeClosed()
    entry, _ = ChallengeEntry.objects.get_or_create(challenge=challenge, member=member)
    return entry


def progress(entry: ChallengeEntry) -> int:
    """WALK-5: counted steps (largest source per day, WALK-1) within the challenge's dates."""
    c = entry.challenge
    return period_steps(entry.member_id, c.starts_on, c.ends_on)


def settle_entry(entry: ChallengeEntry, *, today: dt.date | None = None) -> bool:
    """Pay the pledge if the target is reached and it was not paid before; True when paid now."""
    if entry.completed_at is not None:
        return False
    c = entry.challenge
    if progress(entry) < c.target_steps:
        return False
    with transaction.atomic():
        locked = ChallengeEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.completed_at is not None:
            return False
        ledger.transfer(
            f"walk:challenge:{c.pk}:{entry.member_id}",
            ledger.account("sponsor", partner=c.sponsor),
            ledger.account("beneficiary", name=c.beneficiary),
            c.pledge_won,
            kind="donation",
            memo=f"챌린지 달성 기부: {c.title}",
            effective_on=min(today or timezone.localdate(), c.ends_on),
        )
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at"])
    entry.completed_at = locked.completed_at
    log.info("challenge completed challenge=%s member=%s", c.slug, entry.member_id)
    return True


def settle_challenges(today: dt.date | None = None) -> int:
    """Batch: settle every open entry of challenges that have started; returns pledges paid."""
    today = today or timezone.localdate()
    paid = 0
    entries = ChallengeEntry.objects.filter(
        completed_at=None, challenge__starts_on__lte=today
    ).select_related("challenge")
    for entry in entries.iterator():
        try:
            paid += settle_entry(entry, today=today)
        except Exception:  # a batch's outer loop: log the case, go on (STYLE §5)
            log.exception("challenge settle failed entry=%s", entry.pk)
    return paid
