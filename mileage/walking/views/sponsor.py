"""후원 보고서: a sponsor partner's campaigns (participants, steps, free coupons claimed and used,
rewards), its step-donation campaigns (WALK-4) and its budget, with a CSV/XLSX export. Figures
only, never a member: another sponsor's campaigns are not in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mileage.core.sheets import Column, sheet_response
from mileage.partners.models import Partner, PartnerKind

from ..models import (
    CampaignReward,
    Coupon,
    CouponPurchase,
    DonationCampaign,
    SponsorBudget,
    WalkCampaign,
)
from ..services.campaigns import live_totals
from .access import partner_of_kind, partner_only

sponsor_only = partner_only(PartnerKind.SPONSOR)


def report_rows(partner: Partner, today: dt.date) -> dict[str, Any]:
    """The figures of the report for `partner` (a sponsor)."""
    walks = []
    for c in WalkCampaign.objects.filter(sponsor=partner).order_by("-starts_on", "id"):
        totals = live_totals(c, today)
        claims = CouponPurchase.objects.filter(coupon__campaign=c).aggregate(
            claimed=Count("id"), used=Count("id", filter=Q(redeemed_at__isnull=False))
        )
        rewarded = CampaignReward.objects.filter(campaign=c).aggregate(
            n=Count("id"), m=Sum("mileage")
        )
        walks.append(
            {
                "c": c,
                "participants": totals["participants"],
                "steps": totals["steps"],
                "km": totals["km"],
                "claimed": claims["claimed"],
                "used": claims["used"],
                "rewards": rewarded["n"],
                "reward_mileage": rewarded["m"] or 0,
            }
        )
    coupons = Coupon.objects.filter(sponsor=partner).annotate(
        claimed=Count("purchases"),
        used=Count("purchases", filter=Q(purchases__redeemed_at__isnull=False)),
    )
    budget = SponsorBudget.objects.filter(sponsor=partner).first()
    return {
        "walks": walks,
        "coupons": coupons.select_related("merchant", "campaign"),
        "donations": DonationCampaign.objects.filter(sponsor=partner),
        "budget": budget,
    }


@sponsor_only
def report(request: HttpRequest) -> HttpResponse:
    partner = partner_of_kind(request.user, PartnerKind.SPONSOR)
    data = report_rows(partner, timezone.localdate())
    return render(request, "walking/sponsor.html", {"partner": partner, **data})


COLUMNS = [
    Column("구분", 12),
    Column("캠페인", 28),
    Column("시작일", 12, "yyyy. m. d."),
    Column("종료일", 12, "yyyy. m. d."),
    Column("참여자(명)", 12, "#,##0"),
    Column("걸음 수", 14, "#,##0"),
    Column("쿠폰 받음", 10, "#,##0"),
    Column("쿠폰 사용", 10, "#,##0"),
    Column("보상(마일리지)", 14, "#,##0"),
    Column("기부 걸음", 14, "#,##0"),
    Column("기부액(원)", 14, "#,##0"),
]


def _sheet_rows(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for w in data["walks"]:
        c = w["c"]
        rows.append(
            [
                "걷기 캠페인", c.title, c.starts_on, c.ends_on, w["participants"], w["steps"],
                w["claimed"], w["used"], w["reward_mileage"], 0, 0,
            ]
        )  # fmt: skip
    for d in data["donations"]:
        rows.append(
            [
                "걸음 기부", d.title, d.starts_on, d.ends_on, d.donors, 0, 0, 0, 0,
                d.donated_steps, d.spent_won,
            ]
        )  # fmt: skip
    return rows


@sponsor_only
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    partner = partner_of_kind(request.user, PartnerKind.SPONSOR)
    data = report_rows(partner, timezone.localdate())
    return sheet_response(
        "후원 보고서", COLUMNS, _sheet_rows(data), fmt=fmt, filename=f"sponsor-{partner.slug}"
    )
