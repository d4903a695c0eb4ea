"""Issue #12: the step reports are partitioned by month on PostgreSQL (migration 0008), rows land
in their month's partition (or DEFAULT), `ensure_partitions` makes the next months ahead and is
idempotent, and the migration converts a table with rows both ways. On SQLite: nothing to do."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mileage.core import partitions
from mileage.walking.models import StepReport
from mileage.walking.partitions import TABLE, ensure_partitions, partition_names
from mileage.walking.services.feed import upsert_reports
from tests.conftest import on_postgres

pg = pytest.mark.skipif(not on_postgres(), reason="needs PostgreSQL (runs in CI's second pass)")


def _where(member_id: int, on: dt.date) -> str:
    """The partition holding a member-day's report."""
    with connection.cursor() as cur:
        cur.execute(
            f'SELECT tableoid::regclass::text FROM {TABLE} WHERE member_id = %s AND "on" = %s',
            [member_id, on],
        )
        return cur.fetchone()[0]


def _month(on: dt.date) -> str:
    return partitions.partition_name(TABLE, on)


def test_the_beat_schedule_keeps_the_partitions_ahead() -> None:
    jobs = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    daily = jobs["walking.ensure_partitions"]
    assert daily.hour == {4} and len(daily.day_of_month) == 31


def test_month_arithmetic() -> None:
    assert partitions.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 1)
    assert partitions.add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert partitions.months(dt.date(2026, 11, 5), dt.date(2027, 1, 1)) == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)
    ]  # fmt: skip
    assert _month(dt.date(2027, 1, 9)) == "walking_stepreport_p2027_01"


@pytest.mark.django_db
@pytest.mark.skipif(on_postgres(), reason="SQLite only")
def test_on_sqlite_there_is_nothing_to_partition() -> None:
    assert ensure_partitions() == [] and partition_names() == []
    out = StringIO()
    call_command("ensure_partitions", stdout=out)
    assert "PostgreSQL만" in out.getvalue()


@pg
@pytest.mark.django_db
def test_the_step_reports_are_partitioned_by_month_with_their_keys() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = %s::regclass",
            [TABLE],
        )
        assert cur.fetchall() == [("r", "on")]
        cur.execute(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY contype, conname",
            [TABLE],
        )
        constraints = cur.fetchall()
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = " ".join(row[0] for row in cur.fetchall())
    assert ("p", 'PRIMARY KEY (member_id, "on", source_id)') in constraints
    assert ("c", "CHECK ((steps >= 0))") in constraints
    assert "walking_step_on_member" in indexes and '("on", member_id)' in indexes
    names = partition_names()
    today = timezone.localdate()
    assert f"{TABLE}_default" in names
    for k in range(-12, 4):  # a year back to three months ahead, from migrating
        assert _month(partitions.add_months(today, k)) in names


@pg
@pytest.mark.django_db
def test_rows_land_in_their_months_partition_and_a_far_day_in_default(walker, walkon) -> None:
    today = timezone.localdate()
    last_month = partitions.add_months(today, -1)
    far = dt.date(2040, 1, 15)
    now = timezone.now()
    upsert_reports(walkon.pk, [(walker.pk, today, 8000), (walker.pk, last_month, 5000)], now)
    upsert_reports(walkon.pk, [(walker.pk, far, 123)], now)  # no partition yet: never refused
    assert _where(walker.pk, today) == _month(today)
    assert _where(walker.pk, last_month) == _month(last_month)
    assert _where(walker.pk, far) == f"{TABLE}_default"
    # a re-send replaces the day's total across the partitioned key (ON CONFLICT still works)
    upsert_reports(walkon.pk, [(walker.pk, today, 9000), (walker.pk, far, 456)], now)
    assert StepReport.objects.get(member=walker, on=today).steps == 9000
    # the month is made later: the row waiting in DEFAULT moves into it, nothing lost
    assert ensure_partitions(dt.date(2040, 1, 1), ahead=0) == [
        "walking_stepreport_p2040_01",
        "walking_stepextra_p2040_01",  # the fair-play side table keeps the same months
    ]
    assert _where(walker.pk, far) == "walking_stepreport_p2040_01"
    assert StepReport.objects.get(member=walker, on=far).steps == 456
    assert StepReport.objects.count() == 3


@pg
@pytest.mark.django_db
def test_ensure_partitions_makes_the_months_ahead_once() -> None:
    on = dt.date(2031, 11, 20)
    created = [n for n in ensure_partitions(on) if n.startswith(TABLE)]
    assert created == [_month(dt.date(2031, 11, 1)), _month(dt.date(2031, 12, 1)),
                       _month(dt.date(2032, 1, 1)), _month(dt.date(2032, 2, 1))]  # fmt: skip
    assert ensure_partitions(on) == []  # again: nothing new, no error
    out = StringIO()
    call_command("ensure_partitions", "--date", "2031-11-20", stdout=out)
    assert "새로 만든 파티션 0개" in out.getvalue()
    out = StringIO()
    call_command("ensure_partitions", "--date", "2031-11-20", "--months", "4", stdout=out)
    assert "walking_stepreport_p2032_03" in out.getvalue()
    from mileage.walking.tasks import ensure_partitions_task

    assert ensure_partitions_task.delay("2031-11-20").get() == "새 파티션 0개"


@pytest.mark.django_db
def test_the_command_refuses_bad_options_in_korean() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ensure_partitions", "--date", "2031-13-01")
    with pytest.raises(CommandError, match="0부터 120"):
        call_command("ensure_partitions", "--months", "-1")


@pg
@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_a_table_with_rows_both_ways(walker, walkon) -> None:
    today = timezone.localdate()
    old_day = dt.date(2019, 3, 3)  # older than the span around today: a partition of its own
    rows = [(walker.pk, today, 7000), (walker.pk, old_day, 4000)]
    try:
        call_command("migrate", "walking", "0007", verbosity=0)
        assert partition_names() == []  # a plain table again, rows kept
        upsert_reports(walkon.pk, rows, timezone.now())
        call_command("migrate", "walking", verbosity=0)
        assert _where(walker.pk, today) == _month(today)
        assert _where(walker.pk, old_day) == "walking_stepreport_p2019_03"
        assert sorted(StepReport.objects.values_list("on", "steps")) == [
            (old_day, 4000), (today, 7000)
        ]  # fmt: skip
        call_command("migrate", "walking", "0007", verbosity=0)
        assert sorted(StepReport.objects.values_list("on", "steps")) == [
            (old_day, 4000), (today, 7000)
        ]  # fmt: skip
    finally:
        call_command("migrate", "walking", verbosity=0)
    assert _where(walker.pk, today) == _month(today)
