"""The member's walking pages (시민): link apps, steps, donations, challenges, events, coupons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.ledger import idempotency
from mileage.ledger import services as ledger

from .. import charts, queries, rates
from ..errors import WalkingError
from ..models import Challenge, ChallengeEntry, Coupon, DonationCampaign, Event
from ..services import challenges, coupons, donations, events, links
from ..stats import eok
from .access import citizen_only


@citizen_only
def my_walking(request: HttpRequest) -> HttpResponse:
    member, today = request.user, timezone.localdate()
    totals = queries.day_totals(member.pk, today - dt.timedelta(weeks=8), today)
    entries = [(e, challenges.progress(e)) for e in queries.member_overview(member)["challenges"]]
    return render(
        request,
        "walking/home.html",
        {
            "links": queries.active_links(member),
            "apps": queries.linkable_apps(),
            "overview": queries.member_overview(member),
            "entries": entries,
            "balance": ledger.balance(ledger.account("wallet", user=member)),
            "recent": sorted(totals.items(), reverse=True)[:14],
            "daily_svg": charts.bar_chart_svg(
                charts.daily_bars(totals, today),
                title="최근 14일 걸음 수",
                goal=rates.full_day_steps(today),
            ),
            "weekly_svg": charts.bar_chart_svg(
                charts.weekly_bars(totals, today), title="최근 8주 주별 걸음 수"
            ),
            "stride": links.stride_of(member.pk),
        },
    )


@require_POST
@citizen_only
def link_app(request: HttpRequest) -> HttpResponse:
    partner = get_object_or_404(queries.linkable_apps(), pk=request.POST.get("partner") or 0)
    link = links.link_app(request.user, partner)
    messages.success(
        request, f"{partner.name} 앱과 연결했습니다. 앱에 연결 코드 {link.token} 를 입력하세요."
    )
    return redirect("walking:home")


@require_POST
@citizen_only
def unlink_app(request: HttpRequest, link_id: int) -> HttpResponse:
    link = links.unlink_app(request.user, link_id)
    messages.success(request, f"{link.partner.name} 앱 연결을 해제했습니다.")
    return redirect("walking:home")


@require_POST
@citizen_only
def set_stride(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("stride_m", "").strip()
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation as exc:
        raise WalkingError(
            "보폭은 0.70 과 같은 숫자로 입력하세요.", code="walking.bad_stride"
        ) from exc
    links.set_stride(request.user, value)
    messages.success(request, "보폭을 저장했습니다.")
    return redirect("walking:home")


def campaigns(request: HttpRequest) -> HttpResponse:
    """Public: campaigns with their running totals ("n억 걸음 기부")."""
    rows = [(c, eok(c.donated_steps)) for c in DonationCampaign.objects.select_related("sponsor")]
    return render(request, "walking/campaigns.html", {"rows": rows, "today": timezone.localdate()})


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    c = get_object_or_404(DonationCampaign.objects.select_related("sponsor"), slug=slug)
    available = 0
    if request.user.is_authenticated:
        end = min(c.ends_on, timezone.localdate())
        available = sum(s for _, s in queries.donatable_days(request.user.pk, c.starts_on, end))
    return render(
        request,
        "walking/campaign.html",
        {
            "c": c,
            "eok": eok(c.donated_steps),
            "available": available,
            "left_won": c.budget_won - c.spent_won,
        },
    )


@require_POST
@citizen_only
def donate(request: HttpRequest, slug: str) -> HttpResponse:
    c = get_object_or_404(DonationCampaign, slug=slug)
    key = idempotency.page_key(request)
    raw = request.POST.get("steps", "").replace(",", "").strip()
    if raw and (not raw.isdigit() or len(raw) > 8):
        raise WalkingError("걸음 수는 숫자(8자리 이하)로 입력하세요.", code="walking.bad_steps")
    steps = int(raw) if raw else None

    def run() -> tuple[int, dict[str, object]]:
        gift = donations.donate_steps(request.user, c.pk, steps=steps)
        return 200, {"steps": gift.steps, "won": gift.won}

    caller = idempotency.caller_of(request.user)
    fields = {"campaign": c.pk, "steps": steps}
    _, gift = idempotency.once(caller, key, "walking.steps.donate", fields, run)
    messages.success(
        request, f"{gift['steps']:,}보를 기부했습니다. 후원사가 {gift['won']:,}원을 기부합니다."
    )
    return redirect("walking:campaign", slug=slug)


@citizen_only
def challenge_list(request: HttpRequest) -> HttpResponse:
    """Read-only (WALK-5): pledges are paid by the daily job (`walking.accrue_day`, task
    `walking.settle_challenges`) or by the member's POST to `challenge_settle`, never on a GET."""
    mine = {
        e.challenge_id: e
        for e in ChallengeEntry.objects.filter(member=request.user).select_related("challenge")
    }
    rows = []
    for ch in Challenge.objects.select_related("sponsor"):
        entry = mine.get(ch.pk)
        rows.append((ch, entry, challenges.progress(entry) if entry else None))
    return render(request, "walking/challenges.html", {"rows": rows})


@require_POST
@citizen_only
def challenge_settle(request: HttpRequest, slug: str) -> HttpResponse:
    """WALK-5: the member asks to confirm a reached target now (idempotent, paid once)."""
    entry = get_object_or_404(
        ChallengeEntry.objects.select_related("challenge"),
        challenge__slug=slug,
        member=request.user,
    )
    if challenges.settle_entry(entry):
        messages.success(
            request,
            f"목표를 달성했습니다. {entry.challenge.beneficiary}에 "
            f"{entry.challenge.pledge_won:,}원이 기부되었습니다.",
        )
    elif entry.completed_at is not None:
        messages.info(request, "이미 기부가 완료된 챌린지입니다.")
    else:
        messages.info(request, "아직 목표 걸음 수에 도달하지 않았습니다.")
    return redirect("walking:challenges")


@require_POST
@citizen_only
def challenge_join(request: HttpRequest, slug: str) -> HttpResponse:
    ch = get_object_or_404(Challenge, slug=slug)
    challenges.join_challenge(request.user, ch)
    messages.success(request, f"'{ch.title}' 챌린지에 참여했습니다.")
    return redirect("walking:challenges")


def event_list(request: HttpRequest) -> HttpResponse:
    """Public list with counts; a signed-in citizen sees their own registration."""
    mine: dict[int, object] = {}
    if request.user.is_authenticated:
        mine = {r.event_id: r for r in request.user.walking_events.all()}
    rows = [
        (
            e,
            mine.get(e.pk),
            e.registrations.count(),
            e.registrations.exclude(checked_in_at=None).count(),
        )
        for e in Event.objects.all()
    ]
    return render(request, "walking/events.html", {"rows": rows, "today": timezone.localdate()})


@require_POST
@citizen_only
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    e = get_object_or_404(Event, slug=slug)
    events.register(request.user, e.pk)
    messages.success(request, f"'{e.title}' 행사에 신청했습니다.")
    return redirect("walking:events")


@require_POST
@citizen_only
def event_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    e = get_object_or_404(Event, slug=slug)
    events.check_in(request.user, e.pk)
    messages.success(request, f"'{e.title}' 출석을 확인했습니다.")
    return redirect("walking:events")


@citizen_only
def coupon_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    offers = Coupon.objects.filter(active=True, expires_on__gte=today).select_related("merchant")
    return render(
        request,
        "walking/coupons.html",
        {
            "offers": offers,
            "mine": request.user.coupons.select_related("coupon__merchant")[:30],
            "balance": ledger.balance(ledger.account("wallet", user=request.user)),
        },
    )


@require_POST
@citizen_only
def coupon_buy(request: HttpRequest, coupon_id: int) -> HttpResponse:
    get_object_or_404(Coupon, pk=coupon_id)
    key = idempotency.page_key(request)

    def run() -> tuple[int, dict[str, object]]:
        purchase = coupons.buy_coupon(request.user, coupon_id)
        return 200, {"id": purchase.pk, "code": purchase.code}

    caller = idempotency.caller_of(request.user)
    _, bought = idempotency.once(caller, key, "walking.coupon.buy", {"coupon": coupon_id}, run)
    messages.success(request, f"쿠폰을 샀습니다. 쿠폰 번호: {bought['code']}")
    return redirect("walking:coupons")
