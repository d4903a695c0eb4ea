"""Demo walking campaigns (run by `manage.py demo_data` after the walking seed): 걷기의 날 on the
11th of each month sponsored by 푸른서울나눔재단 with participants, their steps (from the walking
seed), rewards paid for the 11ths already over and a free coupon for participants; a date-range
campaign at the 세종대로 pedestrian street (its QR code printable from the city's view); the
sponsor's budget and a free coupon anyone can claim. Idempotent: natural keys, services only.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import User
from mileage.partners.models import Partner
from mileage.rules.walk.campaigns import campaign_days
from mileage.walking.errors import WalkingError
from mileage.walking.models import CampaignEntry, Coupon, SponsorBudget, WalkCampaign
from mileage.walking.services.campaigns import join_campaign, reward_day
from mileage.walking.services.coupons import claim_free_coupon

PARTICIPANTS = 60  # citizen-001 … citizen-060 joined 걷기의 날


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    sponsor = Partner.objects.filter(slug="green-seoul").first()
    merchant = Partner.objects.filter(slug="mangwon-books").first()
    citizens = list(
        User.objects.filter(role="citizen", username__startswith="citizen-").order_by("username")
    )
    if sponsor is None or merchant is None or not citizens:
        out.write("campaigns: skipped (needs the demo partners and citizens)\n")
        return
    SponsorBudget.objects.get_or_create(sponsor=sponsor, defaults={"budget_won": 120_000_000})
    walk_day, _ = WalkCampaign.objects.get_or_create(
        slug="walk-day",
        defaults={
            "title": "걷기의 날 (매월 11일)",
            "description": "매월 11일은 걷기의 날. 8,000보 이상 걸으면 100 마일리지를 드립니다.",
            "sponsor": sponsor,
            "starts_on": today - dt.timedelta(days=120),
            "ends_on": today + dt.timedelta(days=240),
            "day_of_month": 11,
            "reward_min_steps": 8_000,
            "reward_mileage": 100,
        },
    )
    WalkCampaign.objects.get_or_create(
        slug="sejongdaero",
        defaults={
            "title": "세종대로 보행전용거리 함께 걷기",
            "description": "세종대로 보행전용거리 부스에서 QR 코드로 참여하세요.",
            "starts_on": today - dt.timedelta(days=3),
            "ends_on": today + dt.timedelta(days=27),
        },
    )
    joined = 0
    for member in citizens[:PARTICIPANTS]:
        _, created = join_campaign(member, walk_day, via="page")
        joined += created
    # demo only: they joined when the campaign started, so its past 11ths count for them
    CampaignEntry.objects.filter(campaign=walk_day).update(
        joined_at=timezone.make_aware(dt.datetime.combine(walk_day.starts_on, dt.time(9)))
    )
    rewarded = 0
    past = campaign_days(walk_day.starts_on, walk_day.ends_on, walk_day.day_of_month)
    for day in (d for d in past if d < today):
        rewarded += reward_day(walk_day.pk, day)
    claimed = _coupons(today, sponsor, merchant, walk_day, citizens[:10])
    out.write(
        f"campaigns: 걷기의 날 {joined} joined, {rewarded} rewards paid, "
        f"{claimed} free coupons claimed (QR: /walking/campaigns/sejongdaero/print/)\n"
    )


def _coupons(
    today: dt.date,
    sponsor: Partner,
    merchant: Partner,
    walk_day: WalkCampaign,
    claimers: list[User],
) -> int:
    offers = [
        ("걷기의 날 참여자 커피", walk_day, 38_000, 3_000),
        ("후원 도서 1,000원 할인권", None, 500, 1_000),
    ]
    made = []
    for title, campaign, stock, face in offers:
        coupon, _ = Coupon.objects.get_or_create(
            merchant=merchant,
            title=title,
            defaults={
                "description": "푸른서울나눔재단 후원 무료 쿠폰 (한 사람당 한 장)",
                "price_mileage": 0,
                "stock": stock,
                "sponsor": sponsor,
                "face_value_won": face,
                "campaign": campaign,
                "expires_on": today + dt.timedelta(days=90),
            },
        )
        made.append(coupon)
    claimed = 0
    for member in claimers[:5]:
        try:
            claim_free_coupon(member, made[0].pk)
            claimed += 1
        except WalkingError:  # claimed in an earlier run (one per member)
            pass
    return claimed
