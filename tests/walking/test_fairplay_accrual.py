"""WALK-1 [interp] fair play in the daily accrual: flagged days are held, not paid; a city decision
pays a held day through the day's own ledger key, once, whatever reruns or rival decisions do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mileage.core.models import AuditEntry, OutboxMessage
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.partners.models import Partner
from mileage.walking.errors import HeldDayDecided, RefusalReasonRequired
from mileage.walking.models import DayAccrual, HeldDay, HeldStatus
from mileage.walking.services import fairplay
from mileage.walking.services.feed import StepRow, device_hash, upsert_extras
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db


def _day(days_ago: int) -> dt.date:
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return on


def _wallet(member: Any) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def _extras(member: Any, on: dt.date, total: int, source: Partner, **extra: Any) -> None:
    steps(member, on, total, source)
    upsert_extras(source.pk, [(member.pk, StepRow("t", on, total, **extra))])


def _history(member: Any, source: Partner, before: dt.date, days: int = 10, each: int = 8_000):
    for i in range(1, days + 1):
        steps(member, before - dt.timedelta(days=i), each, source)


def test_walk1_shaken_phone_day_is_held_not_paid(walker, walkon):
    on = _day(2)
    hours = [0] * 6 + [15_000] * 4 + [500] * 14  # 67,000: four hours a person cannot walk
    _extras(walker, on, sum(hours), walkon, hourly=tuple(hours))
    run = accrue_day(on)
    assert (run.member_days, run.held, run.mileage_total) == (0, 1, 0)
    held = HeldDay.objects.get(member=walker, on=on)
    assert held.status == HeldStatus.HELD and held.steps == 67_000 and held.mileage == 100
    assert [f["code"] for f in held.flags] == ["cadence"]
    assert "사람이 계속 걷기 어려운 속도" in held.flags[0]["reason"]
    assert _wallet(walker) == 0 and not DayAccrual.objects.filter(member=walker).exists()
    assert_books_balance()


def test_walk1_honest_days_are_paid_beside_a_held_one(walker, walkon):
    on = _day(2)
    other = factories.jung_citizen()
    _extras(walker, on, 12_000, walkon, manual_steps=6_000)  # half typed in by hand
    steps(other, on, 9_000, walkon)
    run = accrue_day(on)
    assert (run.member_days, run.held) == (1, 1)
    assert _wallet(other) == 90 and _wallet(walker) == 0
    assert [f["code"] for f in HeldDay.objects.get(member=walker).flags] == ["manual"]


def test_walk1_rerun_keeps_a_held_day_held_and_pays_nothing(walker, walkon):
    on = _day(2)
    steps(walker, on, 80_000, walkon)  # over the hold cap
    accrue_day(on)
    second = accrue_day(on)
    assert second.member_days == 0
    assert HeldDay.objects.filter(member=walker).count() == 1
    assert not Transaction.objects.filter(key__startswith="walk:day:").exists()


def test_walk1_one_device_for_three_members_holds_all_three(walkon):
    on = _day(2)
    people = [factories.person(f"shared-{i}") for i in range(3)]
    alone = factories.person("alone")
    for p in people:
        _extras(p, on, 9_000, walkon, device=device_hash("android-1234"))
    _extras(alone, on, 9_000, walkon, device=device_hash("iphone-9"))
    run = accrue_day(on)
    assert (run.member_days, run.held) == (1, 3)
    held = HeldDay.objects.filter(on=on)
    assert {h.member_id for h in held} == {p.pk for p in people}
    assert all("3명" in h.flags[0]["reason"] for h in held)


def test_walk1_spike_over_own_history_is_held_and_a_new_walker_is_not(walker, walkon):
    on = _day(1)
    newcomer = factories.jung_citizen()
    _history(walker, walkon, on)
    steps(walker, on, 50_000, walkon)
    steps(newcomer, on, 50_000, walkon)  # no history: never held for a spike
    run = accrue_day(on)
    assert run.held == 1 and _wallet(newcomer) == 100
    assert [f["code"] for f in HeldDay.objects.get(member=walker).flags] == ["spike"]


def test_walk1_spike_confirmed_by_another_source_is_paid(walker, walkon, bigwalk):
    on = _day(1)
    _history(walker, walkon, on)
    steps(walker, on, 50_000, walkon)
    steps(walker, on, 48_000, bigwalk)  # the watch agrees
    run = accrue_day(on)
    assert (run.member_days, run.held) == (1, 0) and _wallet(walker) == 100


def test_walk1_held_spike_is_cleared_automatically_when_a_second_source_arrives(
    walker, walkon, bigwalk
):
    on = _day(1)
    _history(walker, walkon, on)
    steps(walker, on, 50_000, walkon)
    accrue_day(on)
    assert HeldDay.objects.get(member=walker).status == HeldStatus.HELD
    steps(walker, on, 47_000, bigwalk)  # the watch syncs late
    run = accrue_day(on)  # the rerun looks at pending holds again
    held = HeldDay.objects.get(member=walker)
    assert run.member_days == 1 and _wallet(walker) == 100
    assert held.status == HeldStatus.PAID and held.decided_by is None
    assert "47,000보" in held.decision_reason
    assert AuditEntry.objects.filter(action="walk.held.release", actor=None).count() == 1
    assert "보류가 풀려 100 마일리지" in OutboxMessage.objects.get(user=walker).body
    accrue_day(on)  # once more: nothing new, no second notice
    assert OutboxMessage.objects.filter(user=walker).count() == 1
    assert_books_balance()


def test_walk1_city_pays_a_held_day_once_through_the_days_own_key(walker, walkon):
    on = _day(2)
    steps(walker, on, 80_000, walkon)
    accrue_day(on)
    held = HeldDay.objects.get(member=walker)
    city = factories.city_manager()
    fairplay.decide(city, held.pk, pay=True)
    with pytest.raises(HeldDayDecided):
        fairplay.decide(city, held.pk, pay=True)  # a second click
    accrue_day(on)  # and a rerun of the day
    assert _wallet(walker) == 100
    assert Transaction.objects.filter(key=f"walk:day:{walker.pk}:{on.isoformat()}").count() == 1
    assert DayAccrual.objects.get(member=walker, on=on).mileage == 100
    held.refresh_from_db()
    assert (held.status, held.decided_by) == (HeldStatus.PAID, city)
    assert AuditEntry.objects.filter(action="walk.held.pay", actor=city).count() == 1
    notice = OutboxMessage.objects.get(user=walker, kind="walk.held.decision")
    assert "100 마일리지를 지급" in notice.body
    assert_books_balance()


def test_walk1_refusal_needs_a_reason_and_is_final(walker, walkon):
    on = _day(2)
    steps(walker, on, 80_000, walkon)
    accrue_day(on)
    held = HeldDay.objects.get(member=walker)
    city = factories.city_manager()
    with pytest.raises(RefusalReasonRequired):
        fairplay.decide(city, held.pk, pay=False, reason="  ")
    fairplay.decide(city, held.pk, pay=False, reason="흔들기 기록으로 보입니다")
    with pytest.raises(HeldDayDecided):
        fairplay.decide(city, held.pk, pay=True)
    accrue_day(on)  # a rerun never pays a refused day, even if the rules changed meanwhile
    assert _wallet(walker) == 0
    assert "흔들기 기록으로 보입니다" in OutboxMessage.objects.get(user=walker).body
    assert AuditEntry.objects.get(action="walk.held.refuse").note == "흔들기 기록으로 보입니다"


def test_walk1_only_the_city_decides(walker, walkon):
    on = _day(2)
    steps(walker, on, 80_000, walkon)
    accrue_day(on)
    held = HeldDay.objects.get(member=walker)
    from mileage.core.errors import Forbidden

    for someone in (walker, factories.mapo_official()):
        with pytest.raises(Forbidden):
            fairplay.decide(someone, held.pk, pay=True)
    assert _wallet(walker) == 0


def test_walk1_decision_after_a_rerun_paid_the_day_pays_nothing_more(walker, walkon):
    """A rerun that pays a held day (no longer flagged) and a late decision share one key."""
    on = _day(2)
    steps(walker, on, 80_000, walkon)
    accrue_day(on)
    held = HeldDay.objects.get(member=walker)
    fairplay._pay(held)  # as if a rival decision's payment committed first
    fairplay._pay(held)
    assert _wallet(walker) == 100
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 1
    assert_books_balance()


def test_walk1_rerun_updates_a_pending_hold_after_a_resend(walker, walkon):
    on = _day(2)
    steps(walker, on, 80_000, walkon)
    accrue_day(on)
    _extras(walker, on, 75_000, walkon, manual_steps=20_000)  # the app re-sends the day
    accrue_day(on)
    held = HeldDay.objects.get(member=walker, on=on)
    assert held.steps == 75_000
    assert [f["code"] for f in held.flags] == ["manual", "over_cap"]
    assert held.codes == " manual over_cap "


def _review_queries(walkon, n: int, on: dt.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [factories.person(f"set-{n}-{i}") for i in range(n)]
    for i, p in enumerate(people):
        _history(p, walkon, on, days=8)
        _extras(p, on, 50_000, walkon, manual_steps=i, device=device_hash(f"d{i // 2}"))
    rows = [(p.pk, 50_000) for p in people]
    with CaptureQueriesContext(connection) as ctx:
        reviews = fairplay.review_chunk(on, rows, people[0].pk, people[-1].pk)
    assert len(reviews) == n  # every one is a spike and shares a device
    return len(ctx.captured_queries)


def test_walk1_review_is_set_based_not_a_query_per_member(walkon):
    """A chunk's review costs the same handful of queries for 4 or 40 flagged members."""
    _review_queries(walkon, 2, _day(3))  # warm: the parameters are read once per process
    assert _review_queries(walkon, 4, _day(1)) == _review_queries(walkon, 40, _day(2)) <= 5
