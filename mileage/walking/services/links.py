"""WALK-1: linking a walking app. The partner learns only the link's opaque token."""

from __future__ import annotations

import logging
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mileage.core.text import with_particle
from mileage.partners.models import Partner, PartnerKind

from .. import rates
from ..errors import NotAWalkingApp, WalkingError
from ..models import AppLink, WalkerProfile

log = logging.getLogger(__name__)


SHARE_CONSENT_VERSION = "1"


def share_consent_wording(partner_name: str) -> str:
    """The consent asked when linking an app (개인정보보호법 제17조, 제3자 제공): what the app
    sends, what for, for how long, and that refusing only means not linking."""
    return (
        f"{with_particle(partner_name, '이/가')} 연결 코드로 보내는 나의 날짜별 걸음 수"
        "(시간대별 걸음 수 포함)를 서울 마일리지가 받아 걷기 마일리지 적립, 걸음 기부, 부정 걸음 확인에 씁니다. "
        "앱에는 연결 코드만 전달되며 이름·연락처는 전달되지 않습니다. 보유 기간: 연결 해제 또는 "
        "탈퇴 시까지(지급 기록은 5년). 동의하지 않으면 앱을 연결할 수 없을 뿐 다른 이용에는 "
        "제한이 없으며, 연결을 해제하면 동의도 끝납니다."
    )


def link_app(member: Any, partner: Partner, *, consent: bool) -> AppLink:
    """Link a member to a walking app with their consent to receive its steps (the wording
    and version kept on the link); linking twice returns the same active link."""
    if partner.kind != PartnerKind.WALKING_APP or not partner.is_active:
        raise NotAWalkingApp()
    if not consent:
        raise WalkingError(
            "걸음 수 제공에 동의해야 앱을 연결할 수 있습니다.",
            code="walking.consent_required",
            status=400,
        )
    existing = AppLink.objects.filter(member=member, partner=partner, unlinked_at=None).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            link = AppLink.objects.create(
                member=member,
                partner=partner,
                consent_version=SHARE_CONSENT_VERSION,
                consent_wording=share_consent_wording(partner.name),
                consented_at=timezone.now(),
            )
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
