"""Authorization matrix rows for every walking page and API operation (WALK-1..7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mileage.walking.models import Challenge, ChallengeEntry, DonationCampaign, Event
from mileage.walking.services.events import register
from mileage.walking.services.links import link_app
from tests import factories
from tests.platform.matrix import Row, expect
from tests.walking.helpers import (
    campaign,
    coupon,
    free_coupon,
    fund_wallet,
    sponsor_budget,
    steps,
    walk_campaign,
)

# Citizen-only pages: sign-in redirect for the anonymous and key-only clients, 403 for others.
CITIZEN_PAGE = expect(anonymous=302, keys=302, people=403, citizen=200)
CITIZEN_POST = expect(anonymous=302, keys=302, people=403, citizen=302)
PUBLIC = expect(200)
# Session-only API: 401 without a session, 403 for people who are not citizens.
CITIZEN_API = expect(anonymous=401, keys=401, people=403, citizen=200)


class FreshFile(Mapping):
    """A form whose CSV file is new on every request (an upload is read once)."""

    def __getitem__(self, key: str) -> Any:
        if key != "file":
            raise KeyError(key)
        return SimpleUploadedFile("steps.csv", b"member,date,steps\n", content_type="text/csv")

    def __iter__(self) -> Iterator[str]:
        return iter(["file"])

    def __len__(self) -> int:
        return 1


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


class WalkingAppForm(FreshFile):
    """`partner=<the walking app's id>`, looked up when the request is made."""

    def __getitem__(self, key: str) -> Any:
        if key == "consent":
            return "1"
        if key != "partner":
            raise KeyError(key)
        return str(factories.partner("walking_app").pk)

    def __iter__(self) -> Iterator[str]:
        return iter(["partner", "consent"])

    def __len__(self) -> int:
        return 2


def _link(w: Any) -> dict[str, Any]:
    member, app = w["mapo_citizen"], factories.partner("walking_app")
    return {"link_id": link_app(member, app, consent=True).pk}


def _campaign_with_steps(w: Any) -> dict[str, Any]:
    c = DonationCampaign.objects.filter(slug="seoul-walk").first() or campaign()
    steps(w["mapo_citizen"], _yesterday(), 10_000, factories.partner("walking_app"))
    return {"campaign": c.slug}


def _challenge(w: Any) -> dict[str, Any]:
    today = timezone.localdate()
    ch, _ = Challenge.objects.get_or_create(
        slug="sharing-walk",
        defaults={
            "title": "나눔 워킹",
            "sponsor": factories.partner("sponsor"),
            "beneficiary": "지역아동센터",
            "target_steps": 100_000,
            "pledge_won": 10_000,
            "starts_on": today - dt.timedelta(days=5),
            "ends_on": today + dt.timedelta(days=5),
        },
    )
    return {"challenge": ch.slug}


def _challenge_joined(w: Any) -> dict[str, Any]:
    found = _challenge(w)
    ChallengeEntry.objects.get_or_create(
        challenge=Challenge.objects.get(slug=found["challenge"]), member=w["mapo_citizen"]
    )
    return found


def _event_today(w: Any) -> dict[str, Any]:
    e, _ = Event.objects.get_or_create(
        slug="commute-day", defaults={"title": "걸어서 출근한데이", "on": timezone.localdate()}
    )
    register(w["mapo_citizen"], e.pk)
    return {"event": e.slug}


def _held_day(w: Any) -> dict[str, Any]:
    """A day of the Mapo-gu citizen held by fair play (over the hold cap)."""
    from mileage.walking.models import HeldDay
    from mileage.walking.tasks import accrue_day

    on = _yesterday() - dt.timedelta(days=1)
    steps(w["mapo_citizen"], on, 80_000, factories.partner("walking_app"))
    accrue_day(on)
    return {"held_id": HeldDay.objects.get(member=w["mapo_citizen"], on=on).pk}


def _walk_campaign(w: Any) -> dict[str, Any]:
    from mileage.walking.models import WalkCampaign

    found = WalkCampaign.objects.filter(slug="walk-day").first()
    return {"walk_campaign": (found or walk_campaign()).slug}


def _free_coupon_funded(w: Any) -> dict[str, Any]:
    sponsor_budget(1_000_000)
    return {"coupon_id": free_coupon().pk}


def _coupon_funded(w: Any) -> dict[str, Any]:
    fund_wallet(w["mapo_citizen"], 1_000, key="matrix:fund")
    return {"coupon_id": coupon().pk}


CASES: list[Row] = [
    # Member pages (시민)
    Row("GET", "/walking/", CITIZEN_PAGE),
    Row("POST", "/walking/link/", expect(anonymous=302, keys=302, people=403, citizen=404),
        form={"partner": "0"}, note="partner 0 is no walking app: 404 for a citizen"),
    Row("POST", "/walking/link/", CITIZEN_POST, form=WalkingAppForm()),
    Row("POST", "/walking/link/{link_id}/unlink/", CITIZEN_POST, setup=_link),
    Row("POST", "/walking/stride/", CITIZEN_POST, form={"stride_m": "0.75"}),
    Row("POST", "/walking/held/{held_id}/appeal/", CITIZEN_POST, form={"appeal": "마라톤"},
        setup=_held_day),
    Row("GET", "/walking/campaigns/", PUBLIC),
    Row("GET", "/walking/campaigns/{campaign}/", PUBLIC, setup=_campaign_with_steps),
    Row("POST", "/walking/campaigns/{campaign}/donate/", CITIZEN_POST,
        form={"steps": "", "confirmed": "1", "key": "a" * 32}, setup=_campaign_with_steps),
    # Walking campaigns that count (걷기 캠페인), their join link and QR code
    Row("GET", "/walking/?campaign={walk_campaign}", expect(anonymous=200, keys=200, people=403,
                                                          citizen=200), setup=_walk_campaign,
        note="a join link: the anonymous land on the campaign with sign-in/sign-up links"),
    Row("GET", "/walking/campaigns/{walk_campaign}/", PUBLIC, setup=_walk_campaign),
    Row("POST", "/walking/campaigns/{walk_campaign}/join/", CITIZEN_POST, setup=_walk_campaign),
    Row("GET", "/walking/campaigns/{walk_campaign}/qr.svg", PUBLIC, setup=_walk_campaign),
    Row("GET", "/walking/campaigns/{walk_campaign}/print/",
        expect(anonymous=302, keys=302, people=403, city=200), setup=_walk_campaign),
    Row("POST", "/walking/coupons/{coupon_id}/claim/", CITIZEN_POST, form={"key": "c" * 32},
        setup=_free_coupon_funded),
    Row("GET", "/walking/challenges/", CITIZEN_PAGE, setup=_challenge),
    Row("POST", "/walking/challenges/{challenge}/join/", CITIZEN_POST, setup=_challenge),
    Row("POST", "/walking/challenges/{challenge}/settle/", CITIZEN_POST, setup=_challenge_joined),
    Row("GET", "/walking/events/", PUBLIC, setup=_event_today),
    Row("POST", "/walking/events/{event}/register/", CITIZEN_POST, setup=_event_today),
    Row("POST", "/walking/events/{event}/check-in/", CITIZEN_POST, setup=_event_today),
    Row("GET", "/walking/coupons/", CITIZEN_PAGE),
    Row("POST", "/walking/coupons/{coupon_id}/buy/", CITIZEN_POST, form={"key": "b" * 32},
        setup=_coupon_funded),
    Row("GET", "/walking/courses/", PUBLIC),
    Row("GET", "/walking/courses/seochon/", PUBLIC),
    Row("POST", "/walking/courses/seochon/complete/", CITIZEN_POST),
    # Partner pages: the matrix's partner person works for an insurer, so both refuse them.
    Row("GET", "/walking/partner/steps/", expect(anonymous=302, keys=302, people=403)),
    Row("GET", "/walking/merchant/", expect(anonymous=302, keys=302, people=403)),
    Row("GET", "/walking/sponsor/", expect(anonymous=302, keys=302, people=403),
        note="후원 보고서: sponsor staff only (the matrix's partner person is an insurer's)"),
    Row("GET", "/walking/sponsor/export.csv", expect(anonymous=302, keys=302, people=403)),
    # City
    Row("GET", "/walking/city/", expect(anonymous=302, keys=302, people=403, city=200)),
    Row("GET", "/walking/city/fairplay/", expect(anonymous=302, keys=302, people=403, city=200),
        setup=_held_day),
    Row("POST", "/walking/city/fairplay/{held_id}/decide/",
        expect(anonymous=302, keys=302, people=403, city=302), form={"decision": "pay"},
        setup=_held_day),
    # Partner API (API keys)
    Row("POST", "/api/v1/walking/steps", expect(anonymous=401, people=401, keys=403,
                                                 key_walking_app=200), json={"rows": []}),
    Row("POST", "/api/v1/walking/steps/csv", expect(anonymous=401, people=401, keys=403,
                                                     key_walking_app=200), form=FreshFile()),
    Row("POST", "/api/v1/walking/coupons/redeem", expect(anonymous=401, people=401, keys=403,
                                                          key_merchant=404),
        json={"code": "NOSUCHCODE", "key": "m-redeem"},
        note="an unknown code is 404 for the merchant"),
    Row("POST", "/api/v1/walking/checkins", expect(anonymous=401, people=401, keys=403,
                                                    key_walking_app=404),
        json={"member": "wl_nobody", "point": 1, "at": "2026-01-01T09:00:00+09:00",
              "lat": 37.57, "lon": 126.98},
        note="an unknown member token is 404 for the walking app"),
    Row("GET", "/api/v1/walking/campaigns", expect(anonymous=401, people=401, keys=403,
                                                    key_sponsor=200)),
    # Member API (session)
    Row("GET", "/api/v1/walking/me/days?start=2024-05-01&end=2024-05-31", CITIZEN_API),
    Row("POST", "/api/v1/walking/me/campaigns/{campaign}/donate", CITIZEN_API,
        json={"key": "m-donate"},
        setup=_campaign_with_steps),
    Row("POST", "/api/v1/walking/me/coupons/{coupon_id}/buy", CITIZEN_API, json={"key": "m-buy"},
        setup=_coupon_funded),
    Row("POST", "/api/v1/walking/me/walk-campaigns/{walk_campaign}/join", CITIZEN_API,
        setup=_walk_campaign),
    Row("POST", "/api/v1/walking/me/coupons/{coupon_id}/claim", CITIZEN_API,
        json={"key": "m-claim"}, setup=_free_coupon_funded),
]  # fmt: skip
