"""Walking campaigns that count (걷기 캠페인: 걷기의 날 every 11th, 걸어서 출근한데이 …), their
participants and rewards, and a sponsor's budget for rewards and free coupons.

[interp] WALK-1 / WALK-5: a campaign counts its participants' counted steps (WALK-1) on its days
and may reward each participant who walked at least `reward_min_steps` on a campaign day.
`Event` stays the one-day event with registration and check-in, `BonusDay` the accrual
multiplier (WALK-3): a campaign neither replaces nor changes them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ..rates import campaign_reward_max_mileage


class SponsorBudget(models.Model):
    """What a sponsor gives through walking campaigns: rewards and free coupons (won = mileage).

    `spent_won` only grows by a conditional UPDATE (`spent_won + x <= budget_won`), so two
    claims at once can never spend past the budget; a CHECK constraint backs it up.
    """

    sponsor = models.OneToOneField(
        "partners.Partner", on_delete=models.PROTECT, related_name="walking_budget"
    )
    budget_won = models.PositiveBigIntegerField("후원 예산(원)")
    spent_won = models.PositiveBigIntegerField("사용(원)", default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(spent_won__lte=models.F("budget_won")),
                name="walking_sponsor_within_budget",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} 후원 예산"

    @property
    def left_won(self) -> int:
        return self.budget_won - self.spent_won


class WalkCampaign(models.Model):
    """A campaign over days (a day of month within the dates, or every day of the dates)."""

    slug = models.SlugField(unique=True)
    title = models.CharField("캠페인", max_length=100)
    description = models.TextField("설명", blank=True)
    sponsor = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")
    day_of_month = models.PositiveSmallIntegerField("매월 일자", null=True, blank=True)
    reward_min_steps = models.PositiveIntegerField("보상 기준 걸음 수", null=True, blank=True)
    reward_mileage = models.PositiveIntegerField("보상 마일리지", default=0)
    active = models.BooleanField("진행 중", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="walking_walkcampaign_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(day_of_month__isnull=True)
                | models.Q(day_of_month__gte=1, day_of_month__lte=31),
                name="walking_walkcampaign_day_of_month",
            ),
            models.CheckConstraint(
                condition=models.Q(reward_mileage=0)
                | models.Q(reward_min_steps__isnull=False, reward_min_steps__gt=0),
                name="walking_walkcampaign_reward_has_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Korean errors next to the city's fields: the reward within the dated bound
        (`walk.campaign_reward_max_mileage` on the first day, [interp] WALK-5) and with a
        threshold; a day of month that exists; an address no donation campaign uses (both are
        served at `/walking/campaigns/<slug>/`)."""
        from .donations import DonationCampaign

        errors: dict[str, str] = {}
        if self.reward_mileage and self.starts_on:
            most = campaign_reward_max_mileage(self.starts_on)
            if self.reward_mileage > most:
                errors["reward_mileage"] = f"보상은 하루 {most:,} 마일리지를 넘을 수 없습니다."
        if self.reward_mileage and not self.reward_min_steps:
            errors["reward_min_steps"] = "보상을 주려면 기준 걸음 수를 입력하세요."
        if self.day_of_month is not None and not 1 <= self.day_of_month <= 31:
            errors["day_of_month"] = "매월 일자는 1~31 사이로 입력하세요."
        if self.slug and DonationCampaign.objects.filter(slug=self.slug).exists():
            errors["slug"] = "걸음 기부 캠페인이 이미 쓰는 주소 이름입니다. 다른 이름을 쓰세요."
        if errors:
            raise ValidationError(errors)


class CampaignEntry(models.Model):
    """A member taking part in a walking campaign (참여하기), once."""

    campaign = models.ForeignKey(WalkCampaign, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="walk_campaigns"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=20, blank=True)  # "page", "link" (a join link or QR)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"], name="walking_one_campaign_entry"
            )
        ]


class CampaignReward(models.Model):
    """One participant's reward for one campaign day: paid once (ledger
    `walk:campaign:<id>:<member>:<date>`; this row unique per campaign, member and day)."""

    campaign = models.ForeignKey(WalkCampaign, on_delete=models.PROTECT, related_name="rewards")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    steps = models.PositiveIntegerField()
    mileage = models.PositiveIntegerField()
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member", "on"], name="walking_one_campaign_reward"
            )
        ]
