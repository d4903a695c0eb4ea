"""Walking apps linked to members (WALK-1): the partner only ever learns an opaque token."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_link_token() -> str:
    """An opaque, unguessable token; one per (member, app) so partners cannot correlate members."""
    return "wl_" + secrets.token_urlsafe(18)


class WalkingPartner(models.Model):
    """Walking-specific facts about a `partners.Partner` (kept here, not in the partners app)."""

    class Style(models.TextChoices):
        MILEAGE = "mileage", "마일리지형 (워크온 방식)"
        DONATION = "donation", "기부형 (빅워크 방식)"

    partner = models.OneToOneField(
        "partners.Partner", on_delete=models.CASCADE, related_name="walking"
    )
    style = models.CharField(max_length=10, choices=Style.choices, default=Style.MILEAGE)
    description_ko = models.CharField("소개", max_length=200, blank=True)
    linkable = models.BooleanField("회원 연결 가능", default=True)

    def __str__(self) -> str:
        return str(self.partner)


class AppLink(models.Model):
    """WALK-1: a member's link to one partner walking app."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walking_links"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="walking_links"
    )
    token = models.CharField(max_length=40, unique=True, default=new_link_token)
    linked_at = models.DateTimeField(auto_now_add=True)
    unlinked_at = models.DateTimeField(null=True, blank=True)
    # 개인정보보호법 제17조: the member's consent to receive this app's step counts, asked when
    # linking (issue #15), kept with its exact wording and version; unlinking ends it.
    consent_version = models.CharField(max_length=20, blank=True)
    consent_wording = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "partner"],
                condition=models.Q(unlinked_at__isnull=True),
                name="walking_one_active_link_per_app",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}→{self.partner_id}"


class WalkerProfile(models.Model):
    """WALK-2: a member's own stride; without one the dated default applies."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walker"
    )
    stride_m = models.DecimalField("보폭(m)", max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stride_m__isnull=True)
                | (models.Q(stride_m__gte="0.30") & models.Q(stride_m__lte="1.50")),
                name="walking_stride_plausible",
            )
        ]
