"""WALK-5 [interp] challenges with rewards: personal goals (a total, or every day at least X on
N days), stamp challenges (WALK-7, partner check-ins within the radius, in order when the
course says so; never self-declared), rewards to everyone or the first K (선착순), once each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking import rates
from mileage.walking.models import Challenge, ChallengeEntry, Course, StampCheckIn, StampPoint
from mileage.walking.services.challenges import join_challenge, progress, settle_challenges
from mileage.walking.tasks import settle_challenges_task
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db

# Two stamp points about 1 km apart on the Cheonggyecheon (lat, lon).
START = (Decimal("37.569000"), Decimal("126.978000"))
FINISH = (Decimal("37.569000"), Decimal("126.989300"))


def _wallet(member: Any) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def _challenge(slug: str = "goal", **extra: Any) -> Challenge:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "일주일 8천 보",
        "goal": Challenge.Goal.DAILY,
        "daily_steps": 8_000,
        "days_required": 3,
        "reward_mileage": 500,
        "starts_on": today - dt.timedelta(days=6),
        "ends_on": today + dt.timedelta(days=6),
    }
    fields.update(extra)
    ch = Challenge(slug=slug, **fields)
    ch.full_clean()
    ch.save()
    return ch


def _walk_days(member: Any, app: Any, counts: list[int]) -> None:
    today = timezone.localdate()
    for k, count in enumerate(counts, start=1):
        steps(member, today - dt.timedelta(days=k), count, app)


def test_daily_goal_counts_days_at_or_above_the_daily_steps_and_rewards_once(walker, walkon):
    ch = _challenge()
    entry = join_challenge(walker, ch)
    _walk_days(walker, walkon, [8_000, 7_999, 9_000])
    p = progress(entry)
    assert (p.done, p.target, p.unit, p.reached) == (2, 3, "일", False)
    assert settle_challenges() == 0 and _wallet(walker) == 0
    _walk_days(walker, walkon, [8_000, 7_999, 9_000, 12_000])  # a fourth, good day
    assert progress(entry).reached
    assert settle_challenges_task() == 1  # the daily job's task
    assert settle_challenges() == 0  # once
    assert _wallet(walker) == 500
    assert Transaction.objects.filter(key=f"walk:reward:{ch.pk}:{walker.pk}").count() == 1
    entry.refresh_from_db()
    assert entry.completed_at is not None and entry.reward_mileage == 500
    assert_books_balance()


def test_total_goal_rewards_everyone_who_finishes_from_the_walking_budget(walker, walkon):
    ch = _challenge(goal=Challenge.Goal.TOTAL, target_steps=20_000, daily_steps=None,
                    days_required=None)  # fmt: skip
    other, slow = factories.jung_citizen(), factories.person("slow")
    for member, counts in ((walker, [10_000, 10_000]), (other, [25_000]), (slow, [5_000])):
        join_challenge(member, ch)
        _walk_days(member, walkon, counts)
    budget = ledger.account("budget", programme="walk")
    before = ledger.balance(budget)
    assert settle_challenges() == 2
    assert (_wallet(walker), _wallet(other), _wallet(slow)) == (500, 500, 0)
    assert ledger.balance(budget) == before - 1_000


def test_first_come_rewards_only_the_first_finishers_by_the_day_reached(walker, walkon):
    ch = _challenge(goal=Challenge.Goal.TOTAL, target_steps=10_000, daily_steps=None,
                    days_required=None, reward_mode=Challenge.RewardMode.FIRST,
                    reward_places=1)  # fmt: skip
    late, early = walker, factories.jung_citizen()
    join_challenge(late, ch)  # joined first, but reached the goal later
    join_challenge(early, ch)
    today = timezone.localdate()
    steps(late, today - dt.timedelta(days=1), 10_000, walkon)
    steps(early, today - dt.timedelta(days=3), 10_000, walkon)
    assert settle_challenges() == 2  # both finish; only one place
    assert (_wallet(early), _wallet(late)) == (500, 0)
    ch.refresh_from_db()
    assert (ch.rewards_paid, ch.places_left) == (1, 0)
    assert ChallengeEntry.objects.get(member=late).reward_mileage == 0
    client = Client()
    client.force_login(late)
    page = client.get("/walking/challenges/").content.decode()
    assert "선착순 1명" in page and "남은 자리 0명" in page and "선착순이 마감" in page


def test_a_reward_from_the_sponsor_and_a_pledge_are_paid_together(walker, walkon):
    sponsor = factories.partner("sponsor")
    ch = _challenge(reward_from=Challenge.RewardFrom.SPONSOR, sponsor=sponsor, pledge_won=3_000,
                    beneficiary="지역아동센터")  # fmt: skip
    join_challenge(walker, ch)
    _walk_days(walker, walkon, [8_000, 8_000, 8_000])
    client = Client()
    client.force_login(walker)
    page = client.post(f"/walking/challenges/{ch.slug}/settle/", follow=True).content.decode()
    assert "보상 500 마일리지를 적립했습니다" in page and "3,000원이 기부되었습니다" in page
    assert ledger.balance(ledger.account("sponsor", partner=sponsor)) == -3_500
    assert _wallet(walker) == 500
    assert_books_balance()


def test_the_city_defines_challenges_with_korean_errors_next_to_the_field():
    city = Client()
    city.force_login(factories.city_manager())
    today = timezone.localdate()
    form = {
        "title": "매일 걷기", "slug": "every-day", "description": "", "goal": "daily",
        "target_steps": "", "daily_steps": "", "days_required": "40", "course": "",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=6)).isoformat(),
        "reward_mileage": "300", "reward_mode": "first", "reward_places": "",
        "reward_from": "budget", "sponsor": "", "beneficiary": "", "pledge_won": "0",
    }  # fmt: skip
    refused = city.post("/city/programmes/challenges/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 400 and not Challenge.objects.filter(slug="every-day").exists()
    assert "하루 목표 걸음 수를 입력하세요" in page
    assert "기간(7일)보다 클 수 없습니다" in page
    assert "선착순 보상에는 인원" in page
    assert 'value="매일 걷기"' in page  # the input is kept
    good = dict(form, daily_steps="8000", days_required="5", reward_places="100")
    assert city.post("/city/programmes/challenges/new/", good).status_code == 302
    ch = Challenge.objects.get(slug="every-day")
    assert (ch.daily_steps, ch.reward_places, ch.places_left) == (8_000, 100, 100)


# --- stamp challenges (WALK-7) ---------------------------------------------------------------


def _course(in_order: bool = True) -> Course:
    course = Course.objects.order_by("pk").first()
    course.stamps_in_order = in_order
    course.save(update_fields=["stamps_in_order"])
    StampPoint.objects.create(course=course, order=1, name="청계광장", lat=START[0], lon=START[1])
    StampPoint.objects.create(course=course, order=2, name="동대문", lat=FINISH[0], lon=FINISH[1])
    return course


def _stamp_challenge(course: Course, **extra: Any) -> Challenge:
    return _challenge(slug="stamp", title="청계천 스탬프", goal=Challenge.Goal.STAMP,
                      course=course, daily_steps=None, days_required=None, **extra)  # fmt: skip


def _check_in(client: Client, key: str, token: str, point: StampPoint, at: dt.datetime,
              lat: Decimal, lon: Decimal) -> Any:  # fmt: skip
    body = {"member": token, "point": point.pk, "at": at.isoformat(),
            "lat": float(lat), "lon": float(lon)}  # fmt: skip
    return client.post(
        "/api/v1/walking/checkins", body, content_type="application/json", HTTP_X_API_KEY=key
    )


def test_stamp_challenge_completes_from_check_ins_in_order_and_rewards(
    client, walker, walker_link, walkon_token
):
    course = _course(in_order=True)
    ch = _stamp_challenge(course, reward_mode=Challenge.RewardMode.FIRST, reward_places=5)
    join_challenge(walker, ch)
    first, second = course.stamps.order_by("order")
    now = timezone.now()
    # The finish first, then the start: out of order, so not complete.
    r = _check_in(client, walkon_token, walker_link, second, now - dt.timedelta(hours=2), *FINISH)
    assert r.status_code == 200 and r.json()["completed"] == []
    r = _check_in(client, walkon_token, walker_link, first, now - dt.timedelta(hours=1), *START)
    assert r.status_code == 200 and r.json()["completed"] == []
    assert progress(ChallengeEntry.objects.get(member=walker)).done == 1
    # The finish again, after the start: in order now; settled at once with the reward.
    r = _check_in(client, walkon_token, walker_link, second, now - dt.timedelta(minutes=5),
                  FINISH[0] + Decimal("0.0002"), FINISH[1])  # ≈ 22 m away: inside  # fmt: skip
    assert r.json()["completed"] == [{"challenge": "stamp", "reward_mileage": 500}]
    assert _wallet(walker) == 500
    ch.refresh_from_db()
    assert ch.places_left == 4


def test_without_order_any_sequence_completes(client, walker, walker_link, walkon_token):
    course = _course(in_order=False)
    join_challenge(walker, _stamp_challenge(course))
    first, second = course.stamps.order_by("order")
    now = timezone.now()
    _check_in(client, walkon_token, walker_link, second, now - dt.timedelta(hours=2), *FINISH)
    r = _check_in(client, walkon_token, walker_link, first, now - dt.timedelta(hours=1), *START)
    assert r.json()["completed"][0]["challenge"] == "stamp"


def test_a_check_in_outside_the_radius_is_refused_and_stamps_nothing(
    client, walker, walker_link, walkon_token
):
    course = _course()
    join_challenge(walker, _stamp_challenge(course))
    first = course.stamps.get(order=1)
    radius = rates.stamp_radius_m(timezone.localdate())
    far_lat = START[0] + Decimal("0.0010")  # ≈ 111 m north
    r = _check_in(client, walkon_token, walker_link, first, timezone.now(), far_lat, START[1])
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "walking.stamp_too_far"
    assert f"{radius:,}m 이내" in body["message"] and "떨어진 위치" in body["message"]
    assert not StampCheckIn.objects.exists()


def test_check_in_refusals_have_stable_codes(client, walker, walker_link, walkon_token):
    course = _course()
    first = course.stamps.get(order=1)
    now = timezone.now()
    assert _check_in(client, walkon_token, "wl_nobody", first, now, *START).json()["code"] == (
        "walking.unknown_member"
    )
    missing = StampPoint(pk=999_999)
    assert _check_in(client, walkon_token, walker_link, missing, now, *START).json()["code"] == (
        "walking.stamp_unknown"
    )
    future = _check_in(
        client, walkon_token, walker_link, first, now + dt.timedelta(hours=1), *START
    )
    assert future.status_code == 422
    bad = client.post("/api/v1/walking/checkins", {"member": walker_link, "point": first.pk,
                      "at": now.isoformat(), "lat": "37.5", "lon": 126.9},
                      content_type="application/json", HTTP_X_API_KEY=walkon_token)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
    assert not StampCheckIn.objects.exists()


def test_self_declared_completion_never_completes_a_stamp_challenge(walker):
    course = _course()
    join_challenge(walker, _stamp_challenge(course))
    client = Client()
    client.force_login(walker)
    page = client.post(f"/walking/courses/{course.slug}/complete/", follow=True).content.decode()
    assert "직접 기록으로 완주되지 않습니다" in page
    assert course.completions.filter(member=walker).exists()  # the own record is kept
    assert settle_challenges() == 0
    page = client.post("/walking/challenges/stamp/settle/", follow=True).content.decode()
    assert "아직 모든 스탬프를 찍지 않았습니다" in page
    assert ChallengeEntry.objects.get(member=walker).completed_at is None
    assert _wallet(walker) == 0
