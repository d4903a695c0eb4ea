"""The city's fair-play page (부정 걸음 점검, WALK-1 [interp]): held days, appeals, decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.rules.walk.fairplay import LABELS

from ..errors import WalkingError
from ..models import HeldDay, HeldStatus
from ..services import fairplay
from .access import city_only

DAYS_SHOWN = 14
PAGE = 100
# The dated parameters an official tunes the flags with (links to the city's parameter pages)
THRESHOLDS = [
    ("walk.fairplay_hold_cap_steps", "하루 보류 한도"),
    ("walk.fairplay_manual_share_pct", "손 입력 비율"),
    ("walk.fairplay_manual_min_steps", "손 입력 최소 걸음"),
    ("walk.fairplay_cadence_steps_per_hour", "시간당 걸음 한도"),
    ("walk.fairplay_cadence_hours", "한도를 넘은 시간 수"),
    ("walk.fairplay_spike_factor", "평소 대비 배수"),
    ("walk.fairplay_spike_floor_steps", "평소 대비 최소 걸음"),
    ("walk.fairplay_spike_window_days", "평소 걸음을 보는 기간"),
    ("walk.fairplay_spike_min_days", "평소 걸음에 필요한 날 수"),
    ("walk.fairplay_confirm_share_pct", "다른 기기 확인 비율"),
    ("walk.fairplay_device_members", "기기 하나당 회원 수"),
    ("walk.absurd_daily_steps", "접수 거부 한도"),
]


def _by_code(code: str) -> Q:
    return Q(codes__contains=f" {code} ")


def _counts(since: dt.date) -> dict[str, Any]:
    """Flags by reason (all held days, and still pending) and by day since `since`: two queries."""
    per_code = {f"{c}_all": Count("pk", filter=_by_code(c)) for c in LABELS}
    per_code |= {
        f"{c}_held": Count("pk", filter=_by_code(c) & Q(status=HeldStatus.HELD)) for c in LABELS
    }
    totals = HeldDay.objects.aggregate(**per_code)
    days = (
        HeldDay.objects.filter(on__gte=since)
        .values("on")
        .annotate(total=Count("pk"), **{c: Count("pk", filter=_by_code(c)) for c in LABELS})
        .order_by("-on")
    )
    return {
        "reasons": [
            (c, label, totals[f"{c}_all"], totals[f"{c}_held"]) for c, label in LABELS.items()
        ],
        "days": [(d["on"], d["total"], [d[c] for c in LABELS]) for d in days],
    }


@city_only
def held_days(request: HttpRequest, *, errors: dict[int, tuple[str, str]] | None = None,
              status: int = 200) -> HttpResponse:  # fmt: skip
    reason = request.GET.get("reason", "")
    state = request.GET.get("status", HeldStatus.HELD)
    rows = HeldDay.objects.select_related("member", "decided_by").order_by("-on", "member_id")
    if reason in LABELS:
        rows = rows.filter(_by_code(reason))
    if state in HeldStatus.values:
        rows = rows.filter(status=state)
    elif state == "appealed":
        rows = rows.filter(appealed_at__isnull=False, status=HeldStatus.HELD)
    today = timezone.localdate()
    return render(
        request,
        "walking/city_fairplay.html",
        {
            "rows": rows[:PAGE],
            "total": rows.count(),
            "reason": reason,
            "state": state,
            "labels": LABELS,
            "statuses": [
                *HeldStatus.choices,
                ("appealed", "이의 신청 있음 (보류)"),
                ("all", "전체"),
            ],
            "counts": _counts(today - dt.timedelta(days=DAYS_SHOWN)),
            "thresholds": [(reverse("parameters:detail", args=[n]), n, t) for n, t in THRESHOLDS],
            "errors": errors or {},
            # an error about a day no longer pending (decided meanwhile) shows above the list
            "top_errors": [
                e[0]
                for pk, e in (errors or {}).items()
                if not HeldDay.objects.filter(pk=pk, status=HeldStatus.HELD).exists()
            ],
        },
        status=status,
    )


@require_POST
@city_only
def decide(request: HttpRequest, held_id: int) -> HttpResponse:
    """지급 / 지급 안 함 on one held day; a refusal needs a reason (kept on the form if missing)."""
    pay = request.POST.get("decision") == "pay"
    reason = request.POST.get("reason", "")
    try:
        held = fairplay.decide(request.user, held_id, pay=pay, reason=reason)
    except WalkingError as exc:
        return held_days(request, errors={held_id: (exc.message, reason)}, status=exc.status)
    messages.success(
        request,
        f"{held.member} 회원의 {held.on.month}월 {held.on.day}일 걸음을 "
        f"{'지급했습니다' if pay else '지급하지 않기로 했습니다'}.",
    )
    query = request.POST.get("back", "")
    return redirect(f"{reverse('walking:city_fairplay')}{'?' + query if query else ''}")
