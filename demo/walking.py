"""Demo walking data (run by `manage.py demo_data` after the partners seed): the two demo walking
apps linked to citizens, eight weeks of steps, the daily accrual, a donation campaign with gifts,
a challenge, events, bonus days and coupons. Idempotent: natural keys, nothing created twice.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from django.db.models import Q
from django.utils import timezone

from mileage.accounts.models import User
from mileage.partners.models import Partner, PartnerKind
from mileage.walking.models import (
    AccrualRun,
    AppLink,
    BonusDay,
    Challenge,
    Coupon,
    DonationCampaign,
    Event,
    StepDonation,
    WalkingPartner,
)
from mileage.walking.services.challenges import join_challenge, settle_challenges
from mileage.walking.services.courses import publish_seed_courses
from mileage.walking.services.donations import donate_steps
from mileage.walking.services.events import register
from mileage.walking.services.feed import upsert_reports
from mileage.walking.services.links import link_app
from mileage.walking.tasks import accrue_day

DAYS = 56
APPS = {"georeumon": WalkingPartner.Style.MILEAGE, "bigstep": WalkingPartner.Style.DONATION}


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    publish_seed_courses()
    apps = _apps()
    citizens = list(
        User.objects.filter(role="citizen", username__startswith="citizen-").order_by("username")
    )
    if not apps or not citizens:
        out.write("walking: skipped (needs the demo partners and citizens)\n")
        return
    links = _links(citizens, apps)
    rows = _steps(citizens, apps, links, today)
    paid = _accrue(today)
    c = _campaign(today)
    gifts = _gifts(c, citizens)
    _challenge(today, citizens)
    _events(today, citizens)
    _bonus(today)
    _coupons(today)
    out.write(
        f"walking: {len(links)} app links, {rows:,} step reports ({DAYS} days), "
        f"{paid} days accrued, {gifts} new donations; citizen-001 is linked to 빅스텝 only, "
        "so linking 걸음온 in the browser is left to try\n"
    )


def _apps() -> dict[str, Partner]:
    found = {p.slug: p for p in Partner.objects.filter(slug__in=APPS, kind=PartnerKind.WALKING_APP)}
    for slug, partner in found.items():
        WalkingPartner.objects.get_or_create(partner=partner, defaults={"style": APPS[slug]})
    return found


def _links(citizens: list[User], apps: dict[str, Partner]) -> list[AppLink]:
    out = []
    for i, person in enumerate(citizens):
        if i != 0 and "georeumon" in apps:
            out.append(link_app(person, apps["georeumon"], consent=True))
        if i % 3 == 0 and "bigstep" in apps:
            out.append(link_app(person, apps["bigstep"], consent=True))
    return out


def _steps(
    citizens: list[User], apps: dict[str, Partner], links: list[AppLink], today: dt.date
) -> int:
    """Deterministic walkers: some walk 만보 most days, some a little; two apps differ a bit."""
    linked = {(link.member_id, link.partner_id) for link in links}
    rows: dict[int, list[tuple[int, dt.date, int]]] = {p.pk: [] for p in apps.values()}
    for person in citizens:
        rng = random.Random(f"walk-demo:{person.username}")
        habit = rng.choice([3_000, 6_000, 9_000, 12_000])
        for back in range(1, DAYS + 1):
            on = today - dt.timedelta(days=back)
            base = max(0, int(rng.gauss(habit, habit * 0.35)))
            for partner in apps.values():
                if (person.pk, partner.pk) in linked:
                    noise = rng.randint(-400, 400) if partner.slug == "bigstep" else 0
                    rows[partner.pk].append((person.pk, on, min(max(base + noise, 0), 60_000)))
    now = timezone.now()
    for partner_id, chunk in rows.items():
        upsert_reports(partner_id, chunk, now)
    return sum(len(c) for c in rows.values())


def _accrue(today: dt.date) -> int:
    done = set(AccrualRun.objects.values_list("on", flat=True))
    days = [today - dt.timedelta(days=b) for b in range(DAYS, 0, -1)]
    for on in days:
        if on not in done:
            accrue_day(on, started_by="demo")
    return len([d for d in days if d not in done])


def _campaign(today: dt.date) -> DonationCampaign:
    sponsor = Partner.objects.filter(slug="green-seoul").first()
    c, _ = DonationCampaign.objects.get_or_create(
        slug="warm-steps",
        defaults={
            "title": "따뜻한 걸음으로 홀몸 어르신께 건강 선물하세요",
            "description": "기부한 걸음 1km마다 후원 기관이 100원을 사회적 기업에 기부합니다.",
            "sponsor": sponsor,
            "beneficiary": "사회적기업 건강한동행",
            "rate_won_per_km": 100,
            "budget_won": 50_000_000,
            "starts_on": today - dt.timedelta(days=DAYS),
            "ends_on": today + dt.timedelta(days=60),
        },
    )
    return c


def _gifts(c: DonationCampaign, citizens: list[User]) -> int:
    made = 0
    for person in citizens[9:120:3]:  # about forty donors; citizen-001 keeps their steps
        if not StepDonation.objects.filter(member=person, campaign=c).exists():
            try:
                donate_steps(person, c.pk)
                made += 1
            except Exception:  # nothing to give for this person: a quiet walker
                continue
    return made


def _challenge(today: dt.date, citizens: list[User]) -> None:
    sponsor = Partner.objects.filter(slug="green-seoul").first()
    ch, _ = Challenge.objects.get_or_create(
        slug="sharing-walk",
        defaults={
            "title": "나눔워킹 챌린지: 한 달 20만 보",
            "description": "한 달 동안 20만 보를 걸으면 후원 기관이 지역아동센터에 1만 원을 기부합니다.",
            "sponsor": sponsor,
            "beneficiary": "지역아동센터",
            "target_steps": 200_000,
            "pledge_won": 10_000,
            "starts_on": today - dt.timedelta(days=28),
            "ends_on": today + dt.timedelta(days=2),
        },
    )
    for person in citizens[1:60]:
        join_challenge(person, ch, today=today)
    settle_challenges(today)


def _events(today: dt.date, citizens: list[User]) -> None:
    specs = [
        ("commute-day", "걸어서 출근한데이", "시청 앞 서울광장", today + dt.timedelta(days=7), 3_000),
        ("palace-walk", "나라사랑 고궁 걷기 대회", "경복궁 흥례문 광장", today, 4_000),
        ("lunch-walk", "점심시간 WORK OFF, WALK ON", "세종대로 보행전용거리", today - dt.timedelta(days=20), None),
    ]  # fmt: skip
    for slug, title, place, on, capacity in specs:
        e, made = Event.objects.get_or_create(
            slug=slug, defaults={"title": title, "place": place, "on": on, "capacity": capacity,
                                 "description": "걷자 서울! 천만 시민 걷기 캠페인"},
        )  # fmt: skip
        if made and on >= today:
            for person in citizens[5:40]:
                register(person, e.pk, today=today)


def _bonus(today: dt.date) -> None:
    BonusDay.objects.get_or_create(
        name="걷기의 날 (매월 11일)",
        defaults={"multiplier": Decimal("2"), "day_of_month": 11,
                  "starts_on": today - dt.timedelta(days=365)},
    )  # fmt: skip


def _coupons(today: dt.date) -> None:
    facility, _ = Partner.objects.get_or_create(
        slug="seoul-sports-centre",
        defaults={"name": "서울시 체육시설 (시 운영시설)", "kind": PartnerKind.MERCHANT},
    )
    offers = [
        ("mangwon-books", "도서 2,000원 할인권", "망원동 책방에서 책을 살 때 2,000원 할인", 1_000, 100),
        ("mangwon-books", "아메리카노 1잔", "책방 안 카페 음료", 300, 30),
        (facility.slug, "체육시설 1일 이용권", "시립 체육센터 수영장·헬스장 1일", 1_500, 50),
    ]  # fmt: skip
    for slug, title, description, price, stock in offers:
        merchant = Partner.objects.filter(Q(slug=slug)).first()
        if merchant is not None:
            Coupon.objects.get_or_create(
                merchant=merchant, title=title,
                defaults={"description": description, "price_mileage": price, "stock": stock,
                          "expires_on": today + dt.timedelta(days=90)},
            )  # fmt: skip
