"""WALK-7 stamp challenges: partner apps send check-ins at a course's stamp points; a check-in
stamps its point when it is within `walk.stamp_radius_m` of it. A check-in that completes a
stamp challenge the member joined settles it at once (first-come places in real time)."""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mileage.partners.models import Partner

from .. import rates
from ..errors import StampTooFar, StampUnknown, UnknownMember, WalkingError
from ..geo import EARTH_RADIUS_M
from ..models import AppLink, Challenge, ChallengeEntry, StampCheckIn, StampPoint
from .challenges import settle_entry

log = logging.getLogger(__name__)


@dataclass
class CheckInResult:
    checkin: StampCheckIn
    completed: list[ChallengeEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        c = self.checkin
        return {
            "id": c.pk,
            "point": c.point_id,
            "distance_m": c.distance_m,
            "completed": [
                {"challenge": e.challenge.slug, "reward_mileage": e.reward_mileage}
                for e in self.completed
            ],
        }


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine), as `geo.route_length_km` measures routes."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def check_in(
    partner: Partner,
    token: str,
    point_id: int,
    at: dt.datetime,
    lat: float,
    lon: float,
) -> CheckInResult:
    """Record a partner's check-in for a linked member, or refuse it with a stable code."""
    member_id = (
        AppLink.objects.filter(partner=partner, token=token, unlinked_at__isnull=True)
        .values_list("member_id", flat=True)
        .first()
    )
    if member_id is None:
        raise UnknownMember()
    point = StampPoint.objects.select_related("course").filter(pk=point_id).first()
    if point is None:
        raise StampUnknown()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now():
        raise WalkingError(
            "아직 오지 않은 시각의 체크인은 받을 수 없습니다.", code="walking.future_checkin"
        )
    radius = rates.stamp_radius_m(timezone.localtime(at).date())
    away = distance_m(float(point.lat), float(point.lon), lat, lon)
    if away > radius:
        log.info("stamp refused partner=%s point=%s distance=%.0f", partner.slug, point.pk, away)
        raise StampTooFar(math.ceil(away), radius)
    checkin, _ = StampCheckIn.objects.get_or_create(
        member_id=member_id,
        point=point,
        at=at,
        defaults={
            "source": partner,
            "lat": Decimal(str(round(lat, 6))),
            "lon": Decimal(str(round(lon, 6))),
            "distance_m": round(away),
        },
    )
    result = CheckInResult(checkin)
    open_entries = ChallengeEntry.objects.filter(
        member_id=member_id,
        completed_at=None,
        challenge__goal=Challenge.Goal.STAMP,
        challenge__course_id=point.course_id,
    ).select_related("challenge", "challenge__course", "challenge__sponsor")
    for entry in open_entries:
        if settle_entry(entry):
            result.completed.append(entry)
    return result
