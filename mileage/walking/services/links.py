"""WALK-1: linking a walking app. The partner learns only the link's opaque token."""

from __future__ import annotations

import logging
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.partners.models import Partner, PartnerKind

from .. import rates
from ..errors import NotAWalkingApp, WalkingError
from ..models import AppLink, WalkerProfile

log = logging.getLogger(__name__)


def link_app(member: Any, partner: Partner) -> AppLink:
    """Link a member to a walking app; linking twice returns the same active link."""
    if partner.kind != PartnerKind.WALKING_APP or not partner.is_active:
        raise NotAWalkingApp()
    existing = AppLink.objects.filter(member=member, partner=partner, unlinked_at=None).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            link = AppLink.objects.create(member=member, partner=partner)
    except IntegrityError:  # a second click raced the first
        return AppLink.objects.get(member=member, partner=partner, unlinked_at=None)
    log.info("walking app linked member=%s partner=%s", member.pk, partner.slug)
    return link


def unlink_app(member: Any, link_id: int) -> AppLink:
    """Stop a link: its token no longer matches any member, old steps stay counted."""
    link = AppLink.objects.filter(pk=link_id, member=member).first()
    if link is None:
        raise WalkingError("연결 정보를 찾을 수 없습니다.", code="walking.link_unknown", status=404)
    if link.unlinked_at is None:
        link.unlinked_at = timezone.now()
        link.save(update_fields=["unlinked_at"])
        log.info("walking app unlinked member=%s partner=%s", member.pk, link.partner_id)
    return link


def set_stride(member: Any, stride_m: Decimal | None) -> WalkerProfile:
    """WALK-2: the member's own stride (in the dated range, 0.30–1.50 m) or None for the
    default."""
    low, high = rates.stride_range_m(timezone.localdate())
    if stride_m is not None and not low <= Fraction(stride_m) <= high:
        raise WalkingError(
            f"보폭은 {float(low):.2f}m에서 {float(high):.2f}m 사이로 입력하세요.",
            code="walking.bad_stride",
            status=400,
        )
    profile, _ = WalkerProfile.objects.update_or_create(
        member=member, defaults={"stride_m": stride_m}
    )
    return profile


def stride_of(member_id: int) -> Decimal | None:
    return (
        WalkerProfile.objects.filter(member_id=member_id).values_list("stride_m", flat=True).first()
    )
