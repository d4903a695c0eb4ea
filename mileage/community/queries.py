"""Reads for the community pages: precomputed rankings (indexed, a few rows each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from .models import CrewRank, DistrictRank, RankingRefresh, WalkerRank

TOP = 20


def latest_refresh(period: str, today: dt.date) -> RankingRefresh | None:
    """The newest refreshed period of this kind that has begun."""
    return (
        RankingRefresh.objects.filter(
            period=period, refreshed_at__isnull=False, starts_on__lte=today
        )
        .order_by("-starts_on")
        .first()
    )


def seoul_top(r: RankingRefresh, limit: int = TOP) -> QuerySet[WalkerRank]:
    return WalkerRank.objects.filter(period=r.period, starts_on=r.starts_on).order_by(
        "rank_seoul", "member_id"
    )[:limit]


def district_top(r: RankingRefresh, district_id: int, limit: int = TOP) -> QuerySet[WalkerRank]:
    return WalkerRank.objects.filter(
        period=r.period, starts_on=r.starts_on, district_id=district_id
    ).order_by("rank_district", "member_id")[:limit]


def own_rank(r: RankingRefresh, member: Any) -> WalkerRank | None:
    return WalkerRank.objects.filter(
        period=r.period, starts_on=r.starts_on, member_id=member.pk
    ).first()


def crew_top(r: RankingRefresh, limit: int = TOP) -> QuerySet[CrewRank]:
    return CrewRank.objects.filter(period=r.period, starts_on=r.starts_on).order_by("rank", "name")[
        :limit
    ]


def districts(r: RankingRefresh) -> QuerySet[DistrictRank]:
    return DistrictRank.objects.filter(period=r.period, starts_on=r.starts_on).order_by(
        "rank", "name"
    )


def ranked_count(r: RankingRefresh, district_id: int | None = None) -> int:
    rows = WalkerRank.objects.filter(period=r.period, starts_on=r.starts_on)
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    return rows.count()
