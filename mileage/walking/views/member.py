"""The member's walking pages (시민): link apps, steps, donations, challenges, events, coupons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.ledger import idempotency
from mileage.ledger import services as ledger

from .. import charts, queries, rates
from ..errors import NothingToDonate, TooManySteps, WalkingError
from ..models import Challenge, ChallengeEntry, Coupon, DonationCampaign, Event, WalkCampaign
from ..services import challenges, coupons, donations, events, fairplay, links, topups
from ..stats import eok
from .access import citizen_only
from .invite import invitation, landing


def my_walking(request: HttpRequest) -> HttpResponse:
    """The member's walking page; a join link `?campaign=<slug>` opened by someone not signed in
    lands on the campaign with sign-in / sign-up links that come back here."""
    slug = request.GET.get("campaign")
    if slug is not None and not request.user.is_authenticated:
        return landing(request, slug)
    return _my_walking(request)


@citizen_only
def _my_walking(request: HttpRequest) -> HttpResponse:
    return _home(request)


def _home(
    request: HttpRequest,
    *,
    link_error: str = "",
    status: int = 200,
    appeal_error: tuple[int, str, str] | None = None,
) -> HttpResponse:
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
            "payments": topups.day_entries(member.pk, today - dt.timedelta(weeks=8), today)[:30],
            "late_days": rates.late_sync_days(today),
            "daily_svg": charts.bar_chart_svg(
                charts.daily_bars(totals, today),
                title="최근 14일 걸음 수",
                goal=rates.full_day_steps(today),
            ),
            "weekly_svg": charts.bar_chart_svg(
                charts.weekly_bars(totals, today), title="최근 8주 주별 걸음 수"
            ),
            "stride": links.stride_of(member.pk),
            "link_error": link_error,
            "share_wording": links.share_consent_wording("연결할 앱"),
            "held_days": fairplay.held_days_of(member)[:30],
            # (held day id, error, the text typed): the form shows both next to the field
            "appeal_error": appeal_error or (0, "", ""),
            **invitation(request),
        },
        status=status,
    )


@require_POST
@citizen_only
def link_app(request: HttpRequest) -> HttpResponse:
    partner = get_object_or_404(queries.linkable_apps(), pk=request.POST.get("partner") or 0)
    try:  # the consent to receive the app's steps is asked here, next to the choice of app
        link = links.link_app(request.user, partner, consent=request.POST.get("consent") == "1")
    except WalkingError as exc:
        return _home(request, link_error=exc.message, status=exc.status)
    messages.success(
        request, f"{partner.name} 앱과 연결했습니다. 앱에 연결 코드 {link.token} 를 입력하세요."
    )
    return redirect("walking:home")


@require_POST
@citizen_only
def held_appeal(request: HttpRequest, held_id: int) -> HttpResponse:
    """이의 신청 on a held day (WALK-1 [interp]): once, with a text; errors next to the field."""
    text = request.POST.get("appeal", "")
    try:
        fairplay.appeal(request.user, held_id, text)
    except WalkingError as exc:
        return _home(request, appeal_error=(held_id, exc.message, text), status=exc.status)
    messages.success(request, "이의 신청을 접수했습니다. 서울시가 확인한 뒤 알려 드립니다.")
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
    """Public: walking campaigns (걷기 캠페인) and donation campaigns with their running totals
    ("n억 걸음 기부")."""
    rows = [(c, eok(c.donated_steps)) for c in DonationCampaign.objects.select_related("sponsor")]
    walks = WalkCampaign.objects.filter(active=True).select_related("sponsor")
    return render(
        request,
        "walking/campaigns.html",
        {"rows": rows, "walks": walks, "today": timezone.localdate()},
    )


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    c = get_object_or_404(DonationCampaign.objects.select_related("sponsor"), slug=slug)
    return _campaign_page(request, c)


def _available(request: HttpRequest, c: DonationCampaign) -> int:
    """Steps the member may still donate to `c` (walked in its dates, not yet donated)."""
    if not request.user.is_authenticated:
        return 0
    end = min(c.ends_on, timezone.localdate())
    return sum(s for _, s in queries.donatable_days(request.user.pk, c.starts_on, end))


def _campaign_page(
    request: HttpRequest,
    c: DonationCampaign,
    *,
    typed: str = "",
    error: str = "",
    confirm: dict[str, int] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "walking/campaign.html",
        {
            "c": c,
            "eok": eok(c.donated_steps),
            "available": _available(request, c),
            "left_won": c.budget_won - c.spent_won,
            "typed": typed,
            "error": error,
            "confirm": confirm,
        },
        status=status,
    )


@require_POST
@citizen_only
def donate(request: HttpRequest, slug: str) -> HttpResponse:
    """WALK-4, in two steps when it matters (issue #15): all one's steps (an empty field) or at
    least `walk.donation_confirm_steps` are shown for confirmation first, with the won the
    sponsor gives; a number above what one may donate, or not a number, is refused next to the
    field with what was typed kept. Nothing is donated until the confirmed form comes back."""
    c = get_object_or_404(DonationCampaign.objects.select_related("sponsor"), slug=slug)
    typed = request.POST.get("steps", "").strip()
    raw = typed.replace(",", "")
    if raw and (not raw.isdigit() or len(raw) > 8):
        return _campaign_page(
            request, c, typed=typed, error="걸음 수는 숫자(8자리 이하)로 입력하세요.", status=400
        )
    steps = int(raw) if raw else None
    today = timezone.localdate()
    if request.POST.get("confirmed") != "1" and (
        steps is None or steps >= rates.donation_confirm_steps(today)
    ):
        available = _available(request, c)
        wanted = available if steps is None else steps
        if wanted > available:
            error = TooManySteps(available).message
            return _campaign_page(request, c, typed=typed, error=error, status=400)
        if wanted <= 0:
            return _campaign_page(
                request, c, typed=typed, error=NothingToDonate.message, status=400
            )
        own = links.stride_of(request.user.pk)
        stride = Fraction(own) if own is not None else rates.default_stride_m(today)
        won = rates.donation_won(wanted, stride, c.rate_won_per_km, today)
        return _campaign_page(
            request, c, typed=typed, confirm={"steps": wanted, "won": won, "all": steps is None}
        )
    wanted = steps
    key = idempotency.page_key(request)

    def run() -> tuple[int, dict[str, object]]:
        # inside the once-only step, so a repeated click replays the first answer
        if wanted is not None and wanted > _available(request, c):
            raise TooManySteps(_available(request, c))
        gift = donations.donate_steps(request.user, c.pk, steps=wanted)
        return 200, {"steps": gift.steps, "won": gift.won}

    caller = idempotency.caller_of(request.user)
    fields = {"campaign": c.pk, "steps": wanted}
    try:
        _, gift = idempotency.once(caller, key, "walking.steps.donate", fields, run)
    except WalkingError as exc:
        return _campaign_page(request, c, typed=typed, error=exc.message, status=exc.status)
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
    for ch in Challenge.objects.select_related("sponsor", "course"):
        entry = mine.get(ch.pk)
        rows.append((ch, entry, challenges.progress(entry) if entry else None))
    return render(request, "walking/challenges.html", {"rows": rows})


@require_POST
@citizen_only
def challenge_settle(request: HttpRequest, slug: str) -> HttpResponse:
    """WALK-5: the member asks to confirm a reached goal now (idempotent: the pledge and the
    reward are paid once)."""
    entry = get_object_or_404(
        ChallengeEntry.objects.select_related("challenge"),
        challenge__slug=slug,
        member=request.user,
    )
    ch = entry.challenge
    if challenges.settle_entry(entry):
        done = ["목표를 달성했습니다."]
        if ch.pledge_won:
            done.append(f"{ch.beneficiary}에 {ch.pledge_won:,}원이 기부되었습니다.")
        if entry.reward_mileage:
            done.append(f"보상 {entry.reward_mileage:,} 마일리지를 적립했습니다.")
        elif ch.reward_mileage:
            done.append("아쉽게도 선착순 보상은 마감되었습니다.")
        messages.success(request, " ".join(done))
    elif entry.completed_at is not None:
        messages.info(
            request,
            "이미 기부가 완료된 챌린지입니다."
            if ch.pledge_won and not ch.reward_mileage
            else "이미 달성이 확정된 챌린지입니다.",
        )
    else:
        messages.info(
            request,
            "아직 모든 스탬프를 찍지 않았습니다."
            if ch.goal == Challenge.Goal.STAMP
            else "아직 목표 걸음 수에 도달하지 않았습니다.",
        )
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
