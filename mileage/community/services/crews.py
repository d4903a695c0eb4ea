"""Crews (걷기 모임): create with an invitation code, join with it, leave; every write is one
transaction, and a join locks the crew row so a full crew is never overfilled."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mileage.accounts.models import District
from mileage.walking.queries import counted_days

from .. import names, rates
from ..errors import (
    AlreadyMember,
    CrewFull,
    NameMissing,
    NameTaken,
    NoSuchCode,
    NotAMember,
    OffensiveName,
)
from ..models import Crew, CrewMembership

log = logging.getLogger(__name__)


def active(crew: Crew) -> QuerySet[CrewMembership]:
    return crew.memberships.filter(left_at__isnull=True)


def crews_of(member: Any) -> QuerySet[Crew]:
    return Crew.objects.filter(
        memberships__member=member, memberships__left_at__isnull=True
    ).select_related("district")


def check_name(name: str) -> str:
    """A crew name as stored; refused when too short, offensive or already taken."""
    clean = names.clean(name)
    if not 2 <= len(clean) <= 30:
        raise NameMissing()
    if names.is_offensive(clean, timezone.localdate()):
        raise OffensiveName()
    if Crew.objects.filter(name_key=names.key(clean)).exists():
        raise NameTaken()
    return clean


def create_crew(
    member: Any, name: str, description: str = "", district: District | None = None
) -> Crew:
    """Create a crew with a fresh invitation code; its creator is its first member."""
    clean = check_name(name)
    for _ in range(10):  # 31^8 codes: a clash is rare; try another one
        try:
            with transaction.atomic():
                crew = Crew.objects.create(
                    name=clean,
                    name_key=names.key(clean),
                    description=names.clean(description)[:200],
                    district=district,
                    code=names.new_code(),
                    created_by=member,
                )
                CrewMembership.objects.create(crew=crew, member=member)
        except IntegrityError as exc:
            if Crew.objects.filter(name_key=names.key(clean)).exists():
                raise NameTaken() from exc
            continue
        log.info("crew created crew=%s member=%s", crew.pk, member.pk)
        return crew
    raise RuntimeError("no free invitation code after 10 tries")


def join_crew(member: Any, code: str) -> Crew:
    """Join the crew with this invitation code (case, spaces and hyphens ignored)."""
    wanted = names.code_key(code)
    with transaction.atomic():
        crew = Crew.objects.select_for_update().filter(code=wanted).first()
        if crew is None:
            raise NoSuchCode()
        if active(crew).filter(member=member).exists():
            raise AlreadyMember()
        limit = rates.crew_max_members(timezone.localdate())
        if active(crew).count() >= limit:
            raise CrewFull(limit)
        CrewMembership.objects.create(crew=crew, member=member)
    return crew


def leave_crew(member: Any, crew_id: int) -> Crew:
    with transaction.atomic():
        row = (
            CrewMembership.objects.select_for_update()
            .filter(crew_id=crew_id, member=member, left_at__isnull=True)
            .select_related("crew")
            .first()
        )
        if row is None:
            raise NotAMember()
        row.left_at = timezone.now()
        row.save(update_fields=["left_at"])
    return row.crew


def member_steps(member_ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """WALK-1 counted steps per member in [start, end] (the largest source per member-day)."""
    totals: dict[int, int] = dict.fromkeys(member_ids, 0)
    rows = counted_days(member_id__in=member_ids, on__gte=start, on__lte=end)
    for member_id, steps in rows.values_list("member_id", "steps"):
        totals[member_id] += steps
    return totals


def members_on(crew: Crew, day: dt.date) -> list[int]:
    """Members of the crew at the end of `day` (Asia/Seoul): joined by then and not left."""
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    rows = crew.memberships.filter(joined_at__lt=end).exclude(left_at__lt=end)
    return sorted(set(rows.values_list("member_id", flat=True)))
