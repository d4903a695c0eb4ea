"""Step donations (WALK-4) and challenges (WALK-5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
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
    """WALK-5: a walking challenge with a goal in its dates; reaching it may trigger the sponsor's
    pledge to a beneficiary (`pledge_won`) and/or a mileage reward to the participant.

    Goals: `total` (at least `target_steps` counted steps in the period), `daily` (at least
    `daily_steps` on `days_required` days of the period, e.g. 7 days × 8,000 steps) and `stamp`
    (every stamp point of `course` checked in by a partner app within the period, in order when
    the course says so, WALK-7). Rewards [interp] WALK-5: paid to the first `reward_places`
    finishers (선착순) or to everyone who finishes, never by lottery; once per member.
    """

    class Goal(models.TextChoices):
        TOTAL = "total", "기간 합계 걸음"
        DAILY = "daily", "매일 목표 걸음"
        STAMP = "stamp", "코스 스탬프"

    class RewardMode(models.TextChoices):
        EVERYONE = "everyone", "달성한 모든 참가자"
        FIRST = "first", "선착순"

    class RewardFrom(models.TextChoices):
        SPONSOR = "sponsor", "후원 기관"
        BUDGET = "budget", "걷기 마일리지 예산"

    slug = models.SlugField(unique=True)
    title = models.CharField("챌린지", max_length=100)
    description = models.TextField("설명", blank=True)
    goal = models.CharField("목표 종류", max_length=8, choices=Goal.choices, default=Goal.TOTAL)
    sponsor = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    beneficiary = models.CharField("수혜 기관", max_length=100, blank=True)
    target_steps = models.PositiveIntegerField("목표 걸음 수 (기간 합계)", null=True, blank=True)
    daily_steps = models.PositiveIntegerField("하루 목표 걸음 수", null=True, blank=True)
    days_required = models.PositiveIntegerField("목표를 채울 날 수", null=True, blank=True)
    course = models.ForeignKey(
        "Course", on_delete=models.PROTECT, related_name="challenges", null=True, blank=True
    )
    pledge_won = models.PositiveIntegerField("달성 시 기부액(원)", default=0)
    reward_mileage = models.PositiveIntegerField("달성 보상(마일리지)", default=0)
    reward_mode = models.CharField(
        "보상 방식", max_length=8, choices=RewardMode.choices, default=RewardMode.EVERYONE
    )
    reward_places = models.PositiveIntegerField("선착순 인원", null=True, blank=True)
    reward_from = models.CharField(
        "보상 재원", max_length=8, choices=RewardFrom.choices, default=RewardFrom.BUDGET
    )
    rewards_paid = models.PositiveIntegerField(default=0)  # changed only under the row lock
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward_places__isnull=True)
                | models.Q(rewards_paid__lte=models.F("reward_places")),
                name="walking_challenge_places_kept",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int | None:
        """Reward places still open (선착순), None when every finisher is rewarded."""
        if not self.reward_mileage or self.reward_mode != self.RewardMode.FIRST:
            return None
        return max(0, (self.reward_places or 0) - self.rewards_paid)

    def clean(self) -> None:
        """The city's entries checked together, each error next to its field, in Korean."""
        errors: dict[str, str] = {}
        if self.goal == self.Goal.TOTAL and not self.target_steps:
            errors["target_steps"] = "기간 합계 목표에는 목표 걸음 수를 입력하세요."
        if self.goal == self.Goal.DAILY:
            if not self.daily_steps:
                errors["daily_steps"] = "매일 목표에는 하루 목표 걸음 수를 입력하세요."
            if not self.days_required:
                errors["days_required"] = "목표를 채울 날 수를 입력하세요."
            elif self.starts_on and self.ends_on:
                span = (self.ends_on - self.starts_on).days + 1
                if self.days_required > span:
                    errors["days_required"] = f"날 수는 기간({span}일)보다 클 수 없습니다."
        if self.goal == self.Goal.STAMP and not self.course_id:
            errors["course"] = "코스 스탬프 챌린지에는 코스를 고르세요."
        if self.pledge_won and not self.sponsor_id:
            errors["sponsor"] = "기부액이 있으면 후원 기관을 고르세요."
        if self.pledge_won and not self.beneficiary:
            errors["beneficiary"] = "기부액이 있으면 수혜 기관을 입력하세요."
        if not self.pledge_won and not self.reward_mileage:
            errors["reward_mileage"] = "달성 보상이나 기부액 중 하나는 입력하세요."
        if (
            self.reward_mileage
            and self.reward_from == self.RewardFrom.SPONSOR
            and not self.sponsor_id
        ):
            errors["reward_from"] = "후원 기관이 보상하려면 후원 기관을 고르세요."
        if self.reward_mileage and self.reward_mode == self.RewardMode.FIRST:
            if not self.reward_places:
                errors["reward_places"] = "선착순 보상에는 인원(1명 이상)을 입력하세요."
            elif self.reward_places < self.rewards_paid:
                errors["reward_places"] = (
                    f"이미 {self.rewards_paid}명에게 보상했으므로 그보다 줄일 수 없습니다."
                )
        if errors:
            raise ValidationError(errors)


class ChallengeEntry(models.Model):
    """A member taking part in a challenge; `completed_at` is set once, when the goal is reached
    and settled (the pledge and the reward, if any, paid in the same transaction)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="walking_challenges"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reward_mileage = models.PositiveIntegerField(default=0)  # 0: none, or no place was left

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="walking_one_entry")
        ]
