"""Join links and QR codes (`/walking/?campaign=<slug>`): finding the campaign, the landing
page for a visitor not signed in, and the invitation shown on the member's walking page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ..errors import CampaignUnknown
from ..models import CampaignEntry, WalkCampaign
from ..services import campaigns as service

INVITE = "walking:invite"  # the session key of a campaign a join link brought the visitor for


def join_path(slug: str) -> str:
    """The short join link of a campaign (printed under its QR code)."""
    return f"{reverse('walking:home')}?{urlencode({'campaign': slug})}"


def join_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(join_path(slug))


def find(slug: str | None) -> WalkCampaign | None:
    if not slug or len(slug) > 50:
        return None
    return WalkCampaign.objects.select_related("sponsor").filter(slug=slug).first()


def days_text(c: WalkCampaign) -> str:
    """The campaign's days as a citizen reads them."""
    if c.day_of_month is not None:
        return f"기간 중 매월 {c.day_of_month}일"
    return "기간 중 매일"


def landing(request: HttpRequest, slug: str) -> HttpResponse:
    """A visitor without an account (or not signed in) who followed a join link or QR code: the
    campaign, and sign-in / sign-up links that come back to the same join link."""
    c = find(slug)
    if c is None:
        raise CampaignUnknown()
    request.session[INVITE] = c.slug
    back = quote(join_path(c.slug), safe="")
    return render(
        request,
        "walking/campaign_join.html",
        {
            "c": c,
            "days": days_text(c),
            "totals": service.live_totals(c),
            "login_url": f"{reverse('login')}?next={back}",
            "signup_url": f"{reverse('members:signup')}?next={back}",
        },
    )


def invitation(request: HttpRequest) -> dict[str, Any]:
    """For the member's walking page: the campaign of a join link (`?campaign=`, or remembered
    in the session since the link was followed), pre-selected to join; an unknown address
    gives a Korean message instead."""
    slug = request.GET.get("campaign")
    remembered = slug is None
    slug = slug if slug is not None else request.session.get(INVITE)
    if not slug:
        return {}
    c = find(slug)
    if c is None:
        request.session.pop(INVITE, None)
        return {} if remembered else {"invite_error": CampaignUnknown.message}
    joined = CampaignEntry.objects.filter(campaign=c, member=request.user).exists()
    if joined and remembered:
        request.session.pop(INVITE, None)
        return {}
    request.session[INVITE] = c.slug
    return {
        "invite": c,
        "invite_joined": joined,
        "invite_open": service.is_open(c, timezone.localdate()),
        "invite_days": days_text(c),
    }
