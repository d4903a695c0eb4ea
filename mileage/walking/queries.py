"""Reads shared by pages, the API and batches (WALK-1: a member-day counts its largest source)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Sum

from mileage.accounts import scope
from mileage.partners.models import Partner, PartnerKind

from .models import (
    AppLink,
    ChallengeEntry,
    CouponPurchase,
    DayAccrual,
    DayTopUp,
    StepDonation,
    StepDonationDay,
    StepImport,
    StepReport,
)


def counted_days(**filters: Any) -> QuerySet:
    """WALK-1 in the database, the one place it is written for SQL: one row per member-day of
    the step reports matching `filters`, `{"member_id", "day", "steps"}`, whose steps are the
    largest total across its sources, never the sum (`mileage.rules.walk.days.counted_report`
    is the same rule for one member-day; a test holds the two together).

    Pages and batches narrow it further (`.filter(steps__gte=...)` is a HAVING), read it with
    `.values_list(...)`, or use its SQL as a table (`.query.sql_with_params()`).
    """
    return (
        StepReport.objects.filter(**filters)
        .values("member_id", day=F("on"))
        .annotate(steps=Max("steps"))
        .order_by()
    )


def day_totals(member_id: int, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """WALK-1: counted steps per day in [start, end]: the largest total across sources."""
    return dict(
        counted_days(member_id=member_id, on__gte=start, on__lte=end).values_list("day", "steps")
    )


def donated_by_day(member_id: int, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    rows = (
        StepDonationDay.objects.filter(member_id=member_id, on__gte=start, on__lte=end)
        .values("on")
        .annotate(steps=Sum("steps"))
        .values_list("on", "steps")
    )
    return dict(rows)


def donatable_days(member_id: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """WALK-4: per day, counted steps not donated before (oldest first)."""
    counted = day_totals(member_id, start, end)
    given = donated_by_day(member_id, start, end)
    out = [(on, steps - given.get(on, 0)) for on, steps in sorted(counted.items())]
    return [(on, steps) for on, steps in out if steps > 0]


def period_steps(member_id: int, start: dt.date, end: dt.date) -> int:
    """WALK-5: counted steps in a period (for challenge progress)."""
    return sum(day_totals(member_id, start, end).values())


def active_links(member: Any) -> QuerySet[AppLink]:
    return AppLink.objects.filter(member=member, unlinked_at__isnull=True).select_related("partner")


def linkable_apps() -> QuerySet[Partner]:
    return Partner.objects.filter(kind=PartnerKind.WALKING_APP, is_active=True).exclude(
        walking__linkable=False
    )


def member_overview(member: Any) -> dict[str, Any]:
    """What a member sees on their walking page: totals of mileage, donations, coupons."""
    accrued = DayAccrual.objects.filter(member=member).aggregate(m=Sum("mileage"), d=Count("on"))
    topped = DayTopUp.objects.filter(member=member).aggregate(m=Sum("mileage"))["m"] or 0
    gifts = StepDonation.objects.filter(member=member).aggregate(s=Sum("steps"), w=Sum("won"))
    return {
        "mileage_earned": (accrued["m"] or 0) + topped,  # late top-ups too
        "days_paid": accrued["d"] or 0,
        "donated_steps": gifts["s"] or 0,
        "donated_won": gifts["w"] or 0,
        "donations": StepDonation.objects.filter(member=member).select_related("campaign")[:20],
        "coupons": CouponPurchase.objects.filter(member=member).select_related("coupon")[:20],
        "challenges": ChallengeEntry.objects.filter(member=member).select_related("challenge"),
    }


def imports_visible_to(user: Any) -> QuerySet[StepImport]:
    """A partner person sees their partner's uploads; the city sees all; nobody else any."""
    return scope.restrict(StepImport.objects.all(), user, partner="partner")


def purchases_of_merchant(partner: Partner) -> QuerySet[CouponPurchase]:
    return CouponPurchase.objects.filter(coupon__merchant=partner).select_related("coupon")
