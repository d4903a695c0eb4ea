"""Walking campaigns that count (걷기 캠페인): the campaign page with live totals, 참여하기, the
join link `/walking/?campaign=<slug>` and its QR code for a booth, free coupons (받기)."""

from __future__ import annotations

import io
from urllib.parse import quote

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.ledger import idempotency
from mileage.rules.walk.campaigns import campaign_days

from ..errors import CampaignUnknown
from ..models import CampaignEntry, CampaignReward, Coupon, DonationCampaign
from ..services import campaigns as service
from ..services import coupons
from . import member
from .access import citizen_only, city_only
from .invite import INVITE, days_text, find, join_path, join_url


def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    """`/walking/campaigns/<slug>/`: a walking campaign, else a step-donation campaign."""
    c = find(slug)
    if c is None:
        if DonationCampaign.objects.filter(slug=slug).exists():
            return member.campaign(request, slug)
        raise CampaignUnknown()
    today = timezone.localdate()
    entry = None
    rewards: list[CampaignReward] = []
    claimed: set[int] = set()
    if request.user.is_authenticated:
        entry = CampaignEntry.objects.filter(campaign=c, member=request.user).first()
        rewards = list(CampaignReward.objects.filter(campaign=c, member=request.user)[:31])
        claimed = set(
            request.user.coupons.filter(coupon__campaign=c).values_list("coupon_id", flat=True)
        )
    offers = Coupon.objects.filter(campaign=c, active=True, expires_on__gte=today).select_related(
        "merchant", "sponsor"
    )
    upcoming = [d for d in campaign_days(c.starts_on, c.ends_on, c.day_of_month) if d >= today][:3]
    return render(
        request,
        "walking/walk_campaign.html",
        {
            "c": c,
            "days": days_text(c),
            "upcoming": upcoming,
            "totals": service.live_totals(c, today),
            "entry": entry,
            "rewards": rewards,
            "offers": [(o, o.pk in claimed) for o in offers],
            "open": service.is_open(c, today),
            "is_citizen": request.user.is_authenticated and scope.is_citizen(request.user),
            "is_city": request.user.is_authenticated and scope.is_city(request.user),
            "join_back": quote(join_path(c.slug), safe=""),
        },
    )


@require_POST
@citizen_only
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """참여하기 (POST): once per member; a repeat says so."""
    c = find(slug)
    if c is None:
        raise CampaignUnknown()
    via = "link" if request.POST.get("via") == "link" else "page"
    _, created = service.join_campaign(request.user, c, via=via)
    request.session.pop(INVITE, None)
    if created:
        messages.success(request, f"'{c.title}' 캠페인에 참여했습니다.")
    else:
        messages.info(request, f"이미 '{c.title}' 캠페인에 참여하고 있습니다.")
    return redirect("walking:campaign", slug=c.slug)


@require_POST
@citizen_only
def coupon_claim(request: HttpRequest, coupon_id: int) -> HttpResponse:
    """받기 (POST): a free coupon, once per member; back to the page it was claimed from."""
    coupon = get_object_or_404(Coupon, pk=coupon_id)
    key = idempotency.page_key(request)

    def run() -> tuple[int, dict[str, object]]:
        purchase = coupons.claim_free_coupon(request.user, coupon_id)
        return 200, {"id": purchase.pk, "code": purchase.code}

    caller = idempotency.caller_of(request.user)
    _, got = idempotency.once(caller, key, "walking.coupon.claim", {"coupon": coupon_id}, run)
    messages.success(request, f"쿠폰을 받았습니다. 쿠폰 번호: {got['code']}")
    if coupon.campaign_id is not None:
        return redirect("walking:campaign", slug=coupon.campaign.slug)
    return redirect("walking:coupons")


def qr_svg_bytes(payload: str, title: str) -> bytes:
    """A standalone SVG document (with its namespace, so an <img> shows it) of `payload` as a
    QR code, error correction M or better."""
    out = io.BytesIO()
    segno.make(payload, error="m").save(
        out, kind="svg", scale=8, border=4, title=title, xmldecl=False, encoding="utf-8"
    )
    return out.getvalue()


def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's join link as a QR code (SVG) to print for a booth."""
    c = find(slug)
    if c is None:
        raise CampaignUnknown()
    response = HttpResponse(
        qr_svg_bytes(join_url(request, c.slug), f"{c.title} 참여 QR 코드"),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@city_only
def qr_print(request: HttpRequest, slug: str) -> HttpResponse:
    """A page the city prints for a booth: title, QR code and the short join link."""
    c = find(slug)
    if c is None:
        raise CampaignUnknown()
    return render(
        request,
        "walking/campaign_qr.html",
        {"c": c, "days": days_text(c), "short_url": join_url(request, c.slug)},
    )
