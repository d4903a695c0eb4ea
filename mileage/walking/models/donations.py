"""Step donations (WALK-4) and challenges (WALK-5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..rates import donation_rate_won_per_km


def default_rate_won_per_km() -> int:
    """WALK-4: a new campaign starts from the dated default rate (walk.donation_won_per_km)."""
    return donation_rate_won_per_km(timezone.localdate())


class DonationCampaign(models.Model):
    """WALK-4: a sponsor pays a beneficiary `rate_won_per_km` per km of donated steps, up to a budget."""

    slug = models.SlugField(unique=True)
    title = models.CharField("캠페인", max_length=100)
    description = models.TextField("설명", blank=True)
    sponsor = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    beneficiary = models.CharField("수혜 기관", max_length=100)  # e.g. a social enterprise
    rate_won_per_km = models.PositiveIntegerField(
        "1km당 기부액(원)", default=default_rate_won_per_km
    )
    budget_won = models.PositiveBigIntegerField("예산(원)")
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")
    # Running totals, changed only under the campaign's row lock (services.donations).
    spent_won = models.PositiveBigIntegerField(default=0)
    donated_steps = models.PositiveBigIntegerField(default=0)
    donors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(spent_won__lte=models.F("budget_won")),
                name="walking_campaign_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="walking_campaign_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StepDonation(models.Model):
    """WALK-4: one gift of steps by a member to a campaign, paid sponsor → beneficiary."""

    campaign = models.ForeignKey(DonationCampaign, on_delete=models.PROTECT, related_name="gifts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="step_donations"
    )
    steps = models.PositiveBigIntegerField()
    km = models.DecimalField(max_digits=12, decimal_places=3)
    won = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class StepDonationDay(models.Model):
    """Which member-day's steps a donation used: a step is donated at most once (WALK-4)."""

    donation = models.ForeignKey(StepDonation, on_delete=models.PROTECT, related_name="days")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    steps = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["member", "on"], name="walking_donated_member_on")]


class Challenge(models.Model):
    """WALK-5: reach `target_steps` between the dates and the sponsor gives `pledge_won`."""

    slug = models.SlugField(unique=True)
    title = models.CharField("챌린지", max_length=100)
    description = models.TextField("설명", blank=True)
    sponsor = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    beneficiary = models.CharField("수혜 기관", max_length=100)
    target_steps = models.PositiveIntegerField("목표 걸음 수")
    pledge_won = models.PositiveIntegerField("달성 시 기부액(원)")
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class ChallengeEntry(models.Model):
    """A member taking part in a challenge; `completed_at` is set once, when the pledge is paid."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="walking_challenges"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="walking_one_entry")
        ]
