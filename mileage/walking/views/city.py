"""The city's walking figures (서울시 보행정책과): participants, 억 걸음, donations by month and district."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mileage.core import audit
from mileage.core.sheets import sheet_response

from .. import stats
from ..models import AccrualRun, Challenge, Event, HeldDay, HeldStatus, TopUpRun
from .access import city_only


def _month_start(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else default
    except ValueError:
        return default


@city_only
def city_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    default_start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    start = _month_start(request.GET.get("from"), default_start)
    end = today
    report = stats.city_report(start, end)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):  # issue #14: the month × district table as a file, audited
        audit.record(
            request.user,
            "stats.export",
            data={"report": "walking", "from": start.isoformat(), "format": fmt},
        )
        return sheet_response(
            "보행 마일리지",
            stats.SHEET_COLUMNS,
            stats.sheet_rows(report),
            fmt=fmt,
            filename=f"walking-{start:%Y-%m}",
        )
    return render(
        request,
        "walking/city.html",
        {
            "r": report,
            "eok_steps": stats.eok(report["steps"]),
            "eok_donated": stats.eok(report["donated_steps"]),
            "events": Event.objects.annotate(
                registered=Count("registrations"),
                checked_in=Count(
                    "registrations", filter=Q(registrations__checked_in_at__isnull=False)
                ),
            )[:20],
            "runs": AccrualRun.objects.all()[:10],
            "topup_runs": TopUpRun.objects.filter(member_days__gt=0)[:10],
            "challenges": Challenge.objects.annotate(
                joined=Count("entries"),
                finished=Count("entries", filter=Q(entries__completed_at__isnull=False)),
            )[:20],
            "held_pending": HeldDay.objects.filter(status=HeldStatus.HELD).count(),
            "from_month": start.strftime("%Y-%m"),
            "charts": stats.charts(report),
            "month_rows": [(stats.month_label(m), v) for m, v in report["by_month"]],
        },
    )
