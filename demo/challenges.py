"""Demo challenges with rewards and a late-synced day (run by `manage.py demo_data` after the
walking seed). For the demo walker citizen-001 (linked to 빅스텝):

- a personal goal in progress: 「일주일 매일 8천 보」 (5 of 7 days at 8,000 steps, 300 mileage
  to everyone who finishes, from the walking budget);
- a stamp challenge in progress on 경의선숲길 (three stamp points in order, two already stamped
  by 빅스텝 check-ins; 500 mileage to the first 100 finishers, 선착순);
- a late-synced day: one day of last week whose total grew after it was paid, topped up by the
  top-up pass ("… 늦게 받은 걸음 … 추가 적립" on 내 걷기 마일리지).

Idempotent: natural keys (slugs, the stamp order, the check-in moment, the top-up chain).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import User
from mileage.partners.models import Partner
from mileage.walking import rates
from mileage.walking.models import AppLink, Challenge, Course, DayAccrual, DayTopUp, StampPoint
from mileage.walking.services.challenges import join_challenge
from mileage.walking.services.feed import upsert_reports
from mileage.walking.services.stamps import check_in
from mileage.walking.services.topups import top_up_late_days

WALKER = "citizen-001"
APP = "bigstep"
STAMPS = [  # 경의선숲길 (lat, lon), in walking order
    (1, "연트럴파크", Decimal("37.561000"), Decimal("126.922000")),
    (2, "서강대역", Decimal("37.552700"), Decimal("126.935700")),
    (3, "효창공원앞역", Decimal("37.539300"), Decimal("126.961400")),
]


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    walker = User.objects.filter(username=WALKER).first()
    app = Partner.objects.filter(slug=APP).first()
    course = Course.objects.filter(slug="gyeongui").first()
    if walker is None or app is None or course is None:
        out.write("challenges: skipped (needs the demo walker, 빅스텝 and the courses)\n")
        return
    daily = _personal_goal(today)
    stamp = _stamp_challenge(today, course)
    join_challenge(walker, daily, today=today)
    join_challenge(walker, stamp, today=today)
    stamped = _stamps(walker, app, course)
    late = _late_day(walker, app, today)
    out.write(
        f"challenges: {WALKER} joined '{daily.title}' and '{stamp.title}' "
        f"({stamped} of {len(STAMPS)} stamps); late-synced day topped up: {late or 'none'}\n"
    )


def _personal_goal(today: dt.date) -> Challenge:
    ch, _ = Challenge.objects.get_or_create(
        slug="daily-8000",
        defaults={
            "title": "일주일 매일 8천 보",
            "description": "7일 중 5일 동안 하루 8,000보 이상 걸으면 300 마일리지를 드립니다.",
            "goal": Challenge.Goal.DAILY,
            "daily_steps": 8_000,
            "days_required": 5,
            "reward_mileage": 300,
            "reward_mode": Challenge.RewardMode.EVERYONE,
            "reward_from": Challenge.RewardFrom.BUDGET,
            "starts_on": today - dt.timedelta(days=3),
            "ends_on": today + dt.timedelta(days=3),
        },
    )
    return ch


def _stamp_challenge(today: dt.date, course: Course) -> Challenge:
    if not course.stamps_in_order:
        course.stamps_in_order = True
        course.save(update_fields=["stamps_in_order"])
    for order, name, lat, lon in STAMPS:
        StampPoint.objects.get_or_create(
            course=course, order=order, defaults={"name": name, "lat": lat, "lon": lon}
        )
    ch, _ = Challenge.objects.get_or_create(
        slug="gyeongui-stamp",
        defaults={
            "title": "경의선숲길 스탬프 투어",
            "description": "연트럴파크 → 서강대역 → 효창공원앞역 순서로 스탬프를 모두 찍으면 "
            "선착순 100명에게 500 마일리지를 드립니다.",
            "goal": Challenge.Goal.STAMP,
            "course": course,
            "reward_mileage": 500,
            "reward_mode": Challenge.RewardMode.FIRST,
            "reward_places": 100,
            "reward_from": Challenge.RewardFrom.BUDGET,
            "starts_on": today - dt.timedelta(days=7),
            "ends_on": today + dt.timedelta(days=21),
        },
    )
    return ch


def _stamps(walker: User, app: Partner, course: Course) -> int:
    """Two of the three stamps, checked in by 빅스텝 yesterday morning (fixed moments)."""
    link = AppLink.objects.filter(member=walker, partner=app, unlinked_at__isnull=True).first()
    if link is None:
        return 0
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    morning = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(9, 0)))
    for (order, _, lat, lon), minutes in zip(STAMPS[:2], (0, 35), strict=True):
        point = StampPoint.objects.get(course=course, order=order)
        check_in(app, link.token, point.pk, morning + dt.timedelta(minutes=minutes),
                 float(lat), float(lon))  # fmt: skip
    return 2


def _late_day(walker: User, app: Partner, today: dt.date) -> str:
    """A day of last week paid below the cap whose watch synced 4,000 more steps later."""
    done = DayTopUp.objects.filter(member=walker).order_by("-paid_after").first()
    if done is not None:  # the walking seed re-sent the original totals: send the late one again
        upsert_reports(app.pk, [(walker.pk, done.on, done.steps)], timezone.now())
        return done.on.isoformat()
    cap_steps = rates.full_day_steps(today)
    for back in range(2, rates.late_sync_days(today) + 1):
        on = today - dt.timedelta(days=back)
        paid = DayAccrual.objects.filter(member=walker, on=on).first()
        if paid is not None and paid.steps + 1_000 < cap_steps and on.day != 11:
            upsert_reports(app.pk, [(walker.pk, on, paid.steps + 4_000)], timezone.now())
            top_up_late_days(today, started_by="demo")
            return on.isoformat()
    return ""
