"""WALK-1/WALK-3 [interp]: a larger total that arrives after its day was paid earns the
difference once; a smaller one changes nothing; a day older than the window is refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking import rates
from mileage.walking.models import BonusDay, DayTopUp, StepReport
from mileage.walking.services.topups import top_up_late_days
from mileage.walking.tasks import accrue_day, run_daily, top_up_late_days_task

from .conftest import day, push
from .helpers import steps

pytestmark = pytest.mark.django_db


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def _ordinary_day(days_ago: int) -> dt.date:
    """A past day without the 11th's bonus (the tests' amounts assume a multiplier of 1)."""
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return on - dt.timedelta(days=1) if on.day == 11 else on


def test_a_larger_late_total_is_topped_up_once_with_its_own_key(walker, walkon):
    on = _ordinary_day(3)
    steps(walker, on, 8_000, walkon)
    accrue_day(on)
    assert _wallet(walker) == 80
    steps(walker, on, 9_500, walkon)  # the watch synced late
    run = top_up_late_days()
    assert (run.member_days, run.mileage_total) == (1, 15)
    assert _wallet(walker) == 95
    key = f"walk:topup:{walker.pk}:{on.isoformat()}:95"
    assert Transaction.objects.filter(key=key).count() == 1
    again = top_up_late_days()  # a rerun pays nothing twice
    assert (again.member_days, again.mileage_total) == (0, 0)
    assert _wallet(walker) == 95
    steps(walker, on, 12_000, walkon)  # even later, larger again: the chain goes on to the cap
    top_up_late_days()
    assert _wallet(walker) == 100
    assert list(DayTopUp.objects.values_list("paid_before", "paid_after", "mileage")) == [
        (80, 95, 15),
        (95, 100, 5),
    ]
    assert_books_balance()


def test_a_smaller_later_total_changes_nothing_and_above_the_cap_pays_nothing(
    walker, walkon, bigwalk
):
    on = _ordinary_day(2)
    steps(walker, on, 12_000, walkon)
    accrue_day(on)
    assert _wallet(walker) == 100
    steps(walker, on, 5_000, walkon)  # a smaller re-send: never clawed back
    steps(walker, on, 20_000, bigwalk)  # more steps, but the day was already at the cap
    run = top_up_late_days()
    assert run.member_days == 0 and not DayTopUp.objects.exists()
    assert _wallet(walker) == 100


def test_the_top_up_uses_the_days_bonus_multiplier(walker, walkon):
    on = _ordinary_day(4)
    BonusDay.objects.create(name="걷기의 날", multiplier=2, starts_on=on, ends_on=on)
    steps(walker, on, 3_000, walkon)
    accrue_day(on)
    assert _wallet(walker) == 60
    steps(walker, on, 7_000, walkon)
    top_up_late_days()
    assert _wallet(walker) == 140  # 70 × 2, the difference 80 paid


def test_days_outside_the_window_and_unpaid_days_are_not_topped_up(walker, walkon):
    old = timezone.localdate() - dt.timedelta(days=rates.late_sync_days(timezone.localdate()) + 1)
    steps(walker, old, 2_000, walkon)
    accrue_day(old)
    steps(walker, old, 9_000, walkon)  # stored directly, as if it had slipped in
    unpaid = _ordinary_day(1)
    steps(walker, unpaid, 9_000, walkon)  # not accrued yet: the accrual pays it, not a top-up
    top_up_late_days()
    assert _wallet(walker) == 20 and not DayTopUp.objects.exists()


def test_the_daily_job_and_its_task_top_up(walker, walkon):
    on = _ordinary_day(3)
    steps(walker, on, 4_000, walkon)
    accrue_day(on)
    steps(walker, on, 6_000, walkon)
    summary = run_daily()
    assert (summary["topup_member_days"], summary["topup_mileage"]) == (1, 20)
    assert top_up_late_days_task()["member_days"] == 0
    assert _wallet(walker) == 60


def test_feed_refuses_a_day_older_than_the_window_with_a_stable_code(
    client, walker, walker_link, walkon_token
):
    window = rates.late_sync_days(timezone.localdate())
    r = push(
        client,
        walkon_token,
        [
            {"member": walker_link, "date": day(window), "steps": 5_000},  # the last day taken
            {"member": walker_link, "date": day(window + 1), "steps": 5_000},
        ],
    )
    body = r.json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["index"] == 1
    assert body["errors"][0]["code"] == "walking.late_outside_window"
    assert "오래된 날짜" in body["errors"][0]["message"]
    assert StepReport.objects.count() == 1


def test_csv_refuses_a_day_older_than_the_window(client, walker, walker_link, walkon_token):
    window = rates.late_sync_days(timezone.localdate())
    text = f"member,date,steps\n{walker_link},{day(1)},3000\n{walker_link},{day(window + 3)},3000\n"
    r = client.post(
        "/api/v1/walking/steps/csv",
        {"file": io.BytesIO(text.encode())},
        HTTP_X_API_KEY=walkon_token,
    )
    body = r.json()
    assert body["accepted"] == 1
    assert [(e["index"], e["code"]) for e in body["errors"]] == [(3, "walking.late_outside_window")]


def test_walking_page_explains_the_accrual_and_the_top_up_in_korean(client, walker, walkon):
    on = _ordinary_day(3)
    steps(walker, on, 8_000, walkon)
    accrue_day(on)
    steps(walker, on, 12_000, walkon)
    top_up_late_days()
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    day_ko = f"{on.month}월 {on.day}일"
    assert f"{day_ko} 걸음 8,000보 적립 80" in page
    assert f"{day_ko} 늦게 받은 걸음 12,000보 추가 적립 20" in page
    assert on.isoformat() not in page
    assert "100 마일리지 (1일)" in page  # earned: the accrual and its top-up


def test_a_rival_pass_that_saw_another_total_cannot_extend_the_chain_from_the_same_point(
    walker, walkon
):
    """Two passes read the same paid total (80) but different late totals (9,000 and 10,000):
    only the first claim from 80 stands, so the day is never paid above what one total earns."""
    from mileage.walking.models import TopUpRun
    from mileage.walking.services.topups import _pay_chunk

    on = _ordinary_day(2)
    steps(walker, on, 8_000, walkon)
    accrue_day(on)
    budget = ledger.account("budget", programme="walk")
    first = TopUpRun.objects.create(first_day=on, last_day=on)
    rival = TopUpRun.objects.create(first_day=on, last_day=on)
    _pay_chunk(first, budget, on, [(walker.pk, 9_000, 80, 90)])
    _pay_chunk(rival, budget, on, [(walker.pk, 10_000, 80, 100)])  # stale read: refused
    assert _wallet(walker) == 90
    assert list(DayTopUp.objects.values_list("run_id", "paid_after")) == [(first.pk, 90)]
    assert_books_balance()


def test_the_city_page_lists_the_top_up_runs(walker, walkon):
    from django.test import Client

    from tests import factories

    on = _ordinary_day(3)
    steps(walker, on, 3_000, walkon)
    accrue_day(on)
    steps(walker, on, 5_000, walkon)
    top_up_late_days()
    city = Client()
    city.force_login(factories.city_manager())
    page = city.get("/walking/city/").content.decode()
    assert "늦게 받은 걸음 추가 적립" in page and "1명·일, 20 마일리지" in page


def test_a_flagged_late_total_tops_up_nothing_until_a_rule_clears_it(walker, walkon, bigwalk):
    """Fair play (WALK-1 [interp]) also guards the top-up: a paid 8,000-step day re-sent as a
    shaken phone's 67,000 (impossible cadence) pays nothing more and is counted as held; the
    partner's corrected, plausible total is topped up on the next pass."""
    from mileage.walking.services.feed import StepRow, upsert_extras

    on = _ordinary_day(3)
    steps(walker, on, 8_000, walkon)
    accrue_day(on)
    assert _wallet(walker) == 80
    hours = [0] * 6 + [15_000] * 4 + [500] * 14  # 67,000 in four impossible hours
    steps(walker, on, sum(hours), walkon)
    upsert_extras(walkon.pk, [(walker.pk, StepRow("t", on, sum(hours), hourly=tuple(hours)))])
    run = top_up_late_days()
    assert (run.member_days, run.mileage_total, run.held) == (0, 0, 1)
    assert _wallet(walker) == 80 and not DayTopUp.objects.exists()
    honest = [0] * 7 + [1_000] * 9 + [500] * 8  # the partner corrects it: 13,000 walked all day
    steps(walker, on, sum(honest), walkon)
    upsert_extras(walkon.pk, [(walker.pk, StepRow("t", on, sum(honest), hourly=tuple(honest)))])
    again = top_up_late_days()
    assert (again.member_days, again.mileage_total, again.held) == (1, 20, 0)
    assert _wallet(walker) == 100
    assert_books_balance()
