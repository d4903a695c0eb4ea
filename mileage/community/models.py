"""Walking community (걷기 커뮤니티, issue #11): crews, ranking nicknames, precomputed rankings and
team challenges. Steps are never stored here: they come from `mileage.walking.queries` (WALK-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mileage.accounts.models import District
from mileage.partners.models import Partner


class Period(models.TextChoices):
    WEEK = "week", "주간"
    MONTH = "month", "월간"


class Crew(models.Model):
    """걷기 모임: a group of members who walk together; joined with its invitation code."""

    name = models.CharField("모임 이름", max_length=30)
    name_key = models.CharField(max_length=30, unique=True)  # casefolded, no spaces
    description = models.CharField("소개", max_length=200, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, verbose_name="자치구"
    )
    code = models.CharField("초대 코드", max_length=8, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crews_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CrewMembership(models.Model):
    """A member in a crew from `joined_at` until `left_at` (kept, so a team challenge knows who
    was a member at the end of its period)."""

    crew = models.ForeignKey(Crew, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crew_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["crew", "member"],
                condition=models.Q(left_at__isnull=True),
                name="community_one_active_membership",
            )
        ]
        indexes = [models.Index(fields=["member", "left_at"], name="community_member_crews")]


class WalkerProfile(models.Model):
    """A member's public name in the community (닉네임) and whether they appear in rankings."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walker_profile"
    )
    nickname = models.CharField("닉네임", max_length=20)
    nickname_key = models.CharField(max_length=20, unique=True)
    ranked = models.BooleanField("순위 참여", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.nickname


class TeamChallenge(models.Model):
    """팀 챌린지: a crew's total steps toward a goal in a period; on success every member (at the
    end of the period, with at least one counted day in it) gets `reward_mileage`, once."""

    slug = models.SlugField(unique=True)
    title = models.CharField("챌린지", max_length=100)
    description = models.TextField("설명", blank=True)
    sponsor = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_challenges",
        verbose_name="후원 기관",
        help_text="비워 두면 걷기 마일리지 예산에서 지급합니다.",
    )
    goal_steps = models.PositiveBigIntegerField("모임 목표 걸음")
    reward_mileage = models.PositiveIntegerField("1인당 보상(마일리지)")
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="community_team_dates_in_order",
                violation_error_message="종료일은 시작일보다 빠를 수 없습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(goal_steps__gt=0) & models.Q(reward_mileage__gt=0),
                name="community_team_positive",
                violation_error_message="목표 걸음과 보상은 0보다 커야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TeamEntry(models.Model):
    """A crew taking a team challenge; settled once after the period ends."""

    challenge = models.ForeignKey(TeamChallenge, on_delete=models.PROTECT, related_name="entries")
    crew = models.ForeignKey(Crew, on_delete=models.PROTECT, related_name="team_entries")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    total_steps = models.PositiveBigIntegerField(null=True, blank=True)  # at settlement
    reached = models.BooleanField(null=True)
    rewarded_members = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "crew"], name="community_one_entry")
        ]


# Precomputed rankings (refreshed by the task `community.refresh_rankings`): pages only read.


class RankingRefresh(models.Model):
    """One refreshed period; its row is locked while the period's rankings are rewritten."""

    period = models.CharField(max_length=5, choices=Period.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    refreshed_at = models.DateTimeField(null=True, blank=True)
    walkers = models.PositiveIntegerField(default=0)
    # Days up to here are summed in `PeriodSteps` (final: `walk.ranking_final_after_days`); a
    # refresh reads only the later days' step reports.
    closed_through = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "starts_on"], name="community_one_refresh")
        ]


class PeriodSteps(models.Model):
    """Counted steps (WALK-1) per walker of a period's final days, added day by day, so a
    refresh reads only the days that may still change."""

    period = models.CharField(max_length=5, choices=Period.choices)
    starts_on = models.DateField()
    member_id = models.BigIntegerField()
    steps = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "starts_on", "member_id"], name="community_period_steps_once"
            )
        ]


class WalkerRank(models.Model):
    """An opted-in walker's steps in a period, ranked Seoul-wide and within their district."""

    pk = models.CompositePrimaryKey("period", "starts_on", "member_id")  # no id, one index less
    period = models.CharField(max_length=5, choices=Period.choices)
    starts_on = models.DateField()
    member_id = models.BigIntegerField()
    nickname = models.CharField(max_length=20)
    district_id = models.BigIntegerField(null=True)
    steps = models.BigIntegerField()
    rank_seoul = models.IntegerField()
    rank_district = models.IntegerField(null=True)

    class Meta:
        indexes = [
            # the pages' order (rank, then member id for ties: an integer, cheap to index; a
            # Korean nickname's collation made the refresh's inserts twice as slow): a top
            # list reads 20 index entries
            models.Index(
                fields=["period", "starts_on", "rank_seoul", "member_id"],
                name="community_rank_seoul",
            ),
            models.Index(
                fields=["period", "starts_on", "district_id", "rank_district", "member_id"],
                name="community_rank_district",
            ),
        ]


class CrewRank(models.Model):
    period = models.CharField(max_length=5, choices=Period.choices)
    starts_on = models.DateField()
    crew_id = models.BigIntegerField()
    name = models.CharField(max_length=30)
    walkers = models.IntegerField()
    steps = models.BigIntegerField()
    rank = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["period", "starts_on", "rank"], name="community_rank_crew")]


class DistrictRank(models.Model):
    """자치구 competition: walkers who walked in the period, their total and average steps."""

    period = models.CharField(max_length=5, choices=Period.choices)
    starts_on = models.DateField()
    district_id = models.BigIntegerField()
    name = models.CharField(max_length=20)
    walkers = models.IntegerField()
    steps = models.BigIntegerField()
    steps_per_walker = models.BigIntegerField()
    rank = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["period", "starts_on", "rank"], name="community_rank_gu")]
