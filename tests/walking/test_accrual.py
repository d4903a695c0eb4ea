"""WALK-3: the daily accrual — rate and cap from parameters, max-not-sum, bonus days, paid once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from mileage.accounts.models import User
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.models import AccrualChunk, AccrualRun, BonusDay, DayAccrual
from mileage.walking.services.accrual import start_accrual
from mileage.walking.services.feed import upsert_reports
from mileage.walking.tasks import accrue_chunk_task, accrue_day, accrue_day_task
from tests import factories

pytestmark = pytest.mark.django_db


def _steps(member, on, steps, source) -> None:
    upsert_reports(source.pk, [(member.pk, on, steps)], timezone.now())


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def test_walk3_one_mileage_per_100_steps_and_the_daily_cap(walker, walkon):
    other = factories.jung_citizen()
    on = timezone.localdate() - dt.timedelta(days=1)
    if on.day == 11:
        on -= dt.timedelta(days=1)
    _steps(walker, on, 25_000, walkon)
    _steps(other, on, 4_321, walkon)
    run = accrue_day(on)
    assert (_wallet(walker), _wallet(other)) == (100, 43)
    assert (run.member_days, run.mileage_total) == (2, 143)
    assert Transaction.objects.filter(key=f"walk:day:{walker.pk}:{on.isoformat()}").exists()
    assert_books_balance()


def test_walk3_accrual_counts_the_largest_source_not_the_sum(walker, walkon, bigwalk):
    on = timezone.localdate() - dt.timedelta(days=2)
    _steps(walker, on, 3_000, walkon)
    _steps(walker, on, 4_500, bigwalk)
    accrue_day(on)
    assert DayAccrual.objects.get(member=walker, on=on).steps == 4_500
    assert _wallet(walker) == 45
    assert_books_balance()


def test_walk3_running_the_day_twice_pays_once(walker, walkon):
    on = timezone.localdate() - dt.timedelta(days=3)
    _steps(walker, on, 6_000, walkon)
    first = accrue_day(on)
    second = accrue_day(on)
    call_command("walk_accrue", "--date", on.isoformat())
    assert (first.member_days, second.member_days, second.skipped) == (1, 0, 0)
    assert _wallet(walker) == 60
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 1
    assert_books_balance()


def test_walk3_late_steps_for_a_paid_day_are_not_paid_again(walker, walkon):
    on = timezone.localdate() - dt.timedelta(days=4)
    _steps(walker, on, 2_000, walkon)
    accrue_day(on)
    _steps(walker, on, 9_000, walkon)  # a partner corrects the day after the run
    accrue_day(on)
    assert _wallet(walker) == 20  # [interp] WALK-3: a paid member-day is final
    assert_books_balance()


def test_walk3_days_under_100_steps_earn_nothing_and_post_nothing(walker, walkon):
    on = timezone.localdate() - dt.timedelta(days=5)
    _steps(walker, on, 99, walkon)
    run = accrue_day(on)
    assert run.member_days == 0 and Transaction.objects.count() == 0


def test_walk3_bonus_day_of_the_11th_multiplies_the_capped_amount(walker, walkon):
    today = timezone.localdate()
    on = (
        today.replace(day=11)
        if today.day > 11
        else (today.replace(day=1) - dt.timedelta(days=1)).replace(day=11)
    )
    BonusDay.objects.create(
        name="걷기의 날",
        multiplier=Decimal("2"),
        day_of_month=11,
        starts_on=on - dt.timedelta(days=400),
    )
    other = factories.jung_citizen()
    _steps(walker, on, 30_000, walkon)
    _steps(other, on, 4_321, walkon)
    accrue_day(on)
    assert (_wallet(walker), _wallet(other)) == (200, 86)
    plain = on - dt.timedelta(days=1)
    _steps(walker, plain, 30_000, walkon)
    accrue_day(plain)
    assert _wallet(walker) == 300
    assert_books_balance()


def test_walk3_today_is_not_accrued_before_it_is_over(walker, walkon):
    with pytest.raises(ValueError):
        accrue_day(timezone.localdate())


def test_walk3_celery_task_accrues_yesterday(walker, walkon):
    on = timezone.localdate() - dt.timedelta(days=1)
    _steps(walker, on, 1_234, walkon)
    summary = accrue_day_task.delay().get()
    assert summary["member_days"] == 1 and summary["date"] == on.isoformat()
    assert summary["finished"] and summary["chunks"] == 1
    assert _wallet(walker) == (24 if on.day == 11 and BonusDay.objects.exists() else 12)
    assert_books_balance()


def test_walk3_accrual_in_small_chunks_pays_each_member_day_once_from_its_claims(walkon):
    on = timezone.localdate() - dt.timedelta(days=9)
    members = [User.objects.create_user(username=f"chunk-walker-{n}") for n in range(5)]
    for n, member in enumerate(members):
        _steps(member, on, 1_000 * (n + 1), walkon)
    run = accrue_day(on, chunk=2)  # three chunk tasks, each posted from its own DayAccrual rows
    again = accrue_day(on, chunk=2)
    assert [_wallet(m) for m in members] == [10, 20, 30, 40, 50]
    assert (run.member_days, run.mileage_total, again.member_days) == (5, 150, 0)
    assert (run.chunks_total, run.chunks_done) == (3, 3) and run.finished_at is not None
    ranges = list(run.chunks.values_list("first_member_id", "last_member_id", "member_days"))
    ids = [m.pk for m in members]
    assert ranges == [(ids[0], ids[1], 2), (ids[2], ids[3], 2), (ids[4], ids[4], 1)]
    assert (again.chunks_total, again.finished_at is not None) == (0, True)  # nothing left
    keys = set(
        Transaction.objects.filter(key__startswith="walk:day:").values_list("key", flat=True)
    )
    assert keys == {f"walk:day:{m.pk}:{on.isoformat()}" for m in members}
    assert_books_balance()


def test_walk3_chunks_of_new_and_existing_wallets_run_twice_are_paid_once(walkon):
    """Issue #6: a chunk of first-time members only (all wallets new, no wallet update) and a
    chunk mixing new and existing wallets; each day run twice, each member-day paid once."""
    first = timezone.localdate() - dt.timedelta(days=8)
    second = first + dt.timedelta(days=1)
    old = [User.objects.create_user(username=f"mixed-walker-{n}") for n in range(3)]
    new = [User.objects.create_user(username=f"mixed-newcomer-{n}") for n in range(2)]
    for member in old:
        _steps(member, first, 1_000, walkon)
    for member in [*old, *new]:
        _steps(member, second, 2_500, walkon)
    runs = [accrue_day(day) for day in (first, first, second, second)]
    assert [r.member_days for r in runs] == [3, 0, 5, 0]
    assert [_wallet(m) for m in [*old, *new]] == [35, 35, 35, 25, 25]
    assert DayAccrual.objects.count() == 8
    assert_books_balance()


def test_walk3_a_chunk_task_delivered_twice_pays_nobody_twice_and_counts_once(walkon):
    """The broker may deliver a task again (acks late: a worker died before acknowledging it).
    The second delivery of a committed chunk does nothing; the run is finished exactly once,
    by the last chunk, with each chunk counted once."""
    on = timezone.localdate() - dt.timedelta(days=10)
    if on.day == 11:
        on -= dt.timedelta(days=1)
    members = [User.objects.create_user(username=f"twice-walker-{n}") for n in range(3)]
    for n, member in enumerate(members):
        _steps(member, on, 1_000 * (n + 1), walkon)
    run = start_accrual(on, chunk=2)  # two chunks, no task sent yet
    assert accrue_chunk_task.apply(args=(run.pk, 0)).get() is True
    assert accrue_chunk_task.apply(args=(run.pk, 0)).get() is False  # delivered again
    run.refresh_from_db()
    assert (run.chunks_done, run.member_days, run.finished_at) == (1, 2, None)
    assert accrue_chunk_task.apply(args=(run.pk, 1)).get() is True
    finished = AccrualRun.objects.get(pk=run.pk).finished_at
    assert accrue_chunk_task.apply(args=(run.pk, 1)).get() is False
    assert accrue_chunk_task.apply(args=(run.pk, 0)).get() is False
    run.refresh_from_db()
    assert (run.chunks_done, run.member_days, run.mileage_total) == (2, 3, 60)
    assert run.finished_at == finished is not None  # marked done once, by the last chunk
    assert [_wallet(m) for m in members] == [10, 20, 30]
    assert DayAccrual.objects.filter(on=on).count() == 3
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 3
    assert all(worker for worker in AccrualChunk.objects.values_list("worker", flat=True))
    assert_books_balance()


def test_walk3_walk_accrue_command_pays_through_the_chunk_tasks(walker, walkon, capsys):
    on = timezone.localdate() - dt.timedelta(days=11)
    if on.day == 11:
        on -= dt.timedelta(days=1)
    _steps(walker, on, 7_000, walkon)
    call_command("walk_accrue", "--date", on.isoformat())
    assert "1명·일 적립, 70 마일리지" in capsys.readouterr().out
    run = AccrualRun.objects.get(on=on)
    assert (run.chunks_total, run.chunks_done, run.member_days) == (1, 1, 1)
    assert _wallet(walker) == 70
    assert_books_balance()
