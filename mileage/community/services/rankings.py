"""Precomputed rankings (걷기 순위): set-based SQL over WALK-1 counted days, so a ranking page is
an indexed read of a few rows.

`refresh(period, day)` rewrites one period (the week or month containing `day`) in one
transaction: the period's steps per walker are summed into a temporary table from
`mileage.walking.queries.counted_days` (the one SQL form of WALK-1: a member-day counts its
largest source) — the final days from their running sums in `PeriodSteps`, the last days from
the step reports — then `INSERT … SELECT`s with `RANK()` fill the walker, crew and district
tables (on PostgreSQL the walkers' into a new partition swapped in, see `_swap_walkers`). Ties share a rank (1, 1, 3). Only members who opted in (`WalkerProfile.ranked`) appear
in the walker table, by nickname; crews and districts are totals that name nobody.

[interp] WALK-5: a district's "participating walkers" are its residents with at least one
counted day in the period (opted in or not: a district figure names no one, like the city's
figures by district); a crew counts its current members.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mileage.accounts.models import District, User
from mileage.walking.queries import counted_days

from .. import rates
from ..models import (
    Crew,
    CrewMembership,
    CrewRank,
    DistrictRank,
    Period,
    PeriodSteps,
    RankingRefresh,
    WalkerProfile,
    WalkerRank,
)
from ..periods import bounds

log = logging.getLogger(__name__)
TOTALS = "community_period_totals"  # a temporary table, this session only


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def refresh(
    period: str, day: dt.date, *, today: dt.date | None = None, full: bool = False
) -> RankingRefresh:
    """Rewrite the rankings of the `period` containing `day`; returns its refresh row.

    Days older than `walk.ranking_final_after_days` are final: their counted steps are added to
    `PeriodSteps` once (day by day, as they become final), so a refresh every 30 minutes reads
    the step reports of only the last days. `full=True` (the nightly rebuild) recounts the whole
    period, so a late re-send of an older day is counted by the next morning [interp].
    """
    start, end = bounds(period, day)
    today = today or timezone.localdate()
    final = min(end, today - dt.timedelta(days=rates.ranking_final_after_days(today)))
    with transaction.atomic():
        RankingRefresh.objects.get_or_create(
            period=period, starts_on=start, defaults={"ends_on": end}
        )
        row = RankingRefresh.objects.select_for_update().get(period=period, starts_on=start)
        closed = row.closed_through or start - dt.timedelta(days=1)
        if full:
            PeriodSteps.objects.filter(period=period, starts_on=start).delete()
            closed = start - dt.timedelta(days=1)
        swap = connection.vendor == "postgresql"  # WalkerRank partitioned (migration 0003)
        for model in (CrewRank, DistrictRank) if swap else (WalkerRank, CrewRank, DistrictRank):
            model.objects.filter(period=period, starts_on=start).delete()  # one DELETE each
        with connection.cursor() as cur:
            if final > closed:
                _close_days(cur, period, start, closed + dt.timedelta(days=1), final)
                closed = final
            _totals(cur, period, start, closed + dt.timedelta(days=1), min(end, today))
            head = [period, start]
            cur.execute(_crews_sql(), head)
            cur.execute(_districts_sql(), head)
            if swap:
                walkers = _swap_walkers(cur, period, start)
            else:
                cur.execute(_walkers_sql(_t(WalkerRank)), head)
                walkers = cur.rowcount
            cur.execute(f"DROP TABLE {TOTALS}")
        row.ends_on, row.refreshed_at, row.walkers = end, timezone.now(), max(walkers, 0)
        row.closed_through = closed if closed >= start else None
        row.save(update_fields=["ends_on", "refreshed_at", "walkers", "closed_through"])
    log.info("rankings refreshed period=%s start=%s walkers=%s", period, start, walkers)
    return row


def _counted(first: dt.date, last: dt.date) -> tuple[str, tuple]:
    """WALK-1 counted days in [first, last] as SQL (from `walking.queries.counted_days`)."""
    return counted_days(on__gte=first, on__lte=last).query.sql_with_params()


def _close_days(cur: Any, period: str, start: dt.date, first: dt.date, last: dt.date) -> None:
    """Add the counted steps of the now final days [first, last] to the period's sums."""
    sql, params = _counted(first, last)
    table = _t(PeriodSteps)
    cur.execute(
        f"INSERT INTO {table} (period, starts_on, member_id, steps) "
        f"SELECT %s, %s, c.member_id, SUM(c.steps) FROM ({sql}) c WHERE 1 = 1 "
        f"GROUP BY c.member_id "
        f"ON CONFLICT (period, starts_on, member_id) "
        f"DO UPDATE SET steps = {table}.steps + EXCLUDED.steps",
        [period, start, *params],
    )


def _totals(cur: Any, period: str, start: dt.date, first: dt.date, last: dt.date) -> None:
    """The temporary table of steps per walker: the final days' sums and the open days."""
    parts = [f"SELECT member_id, steps FROM {_t(PeriodSteps)} WHERE period = %s AND starts_on = %s"]
    params: list[Any] = [period, start]
    if first <= last:
        sql, more = _counted(first, last)
        parts.append(f"SELECT o.member_id, o.steps FROM ({sql}) o")
        params += list(more)
    cur.execute(f"DROP TABLE IF EXISTS {TOTALS}")
    cur.execute(
        f"CREATE TEMPORARY TABLE {TOTALS} AS "
        f"SELECT x.member_id AS member_id, SUM(x.steps) AS steps "
        f"FROM ({' UNION ALL '.join(parts)}) x GROUP BY x.member_id",
        params,
    )
    if connection.vendor == "postgresql":
        cur.execute(f"CREATE INDEX ON {TOTALS} (member_id)")
        cur.execute(f"ANALYZE {TOTALS}")


def _partition(period: str, start: dt.date) -> str:
    return f"{WalkerRank._meta.db_table}_{period}_{start:%Y%m%d}"


def _swap_walkers(cur: Any, period: str, start: dt.date) -> int:
    """PostgreSQL: the period's walker ranks into a new UNLOGGED table, indexed once (a sort
    per index, not 600,000 index insertions), analyzed, then swapped in for the period's
    partition (DETACH + DROP the old one, ATTACH the new: no DELETE, no dead rows). Pages wait
    only for the swap at the end. Returns the walkers ranked."""
    parent, name = _t(WalkerRank), _partition(period, start)
    new, old = connection.ops.quote_name(f"{name}_new"), connection.ops.quote_name(name)
    # One swap at a time (SHARE UPDATE EXCLUSIVE conflicts with itself, not with readers): two
    # refreshes upgrading to DETACH's lock together would deadlock.
    cur.execute(f"LOCK TABLE {parent} IN SHARE UPDATE EXCLUSIVE MODE")
    cur.execute(f"DROP TABLE IF EXISTS {new}")
    cur.execute(f"CREATE UNLOGGED TABLE {new} (LIKE {parent} INCLUDING DEFAULTS)")
    # the partition's bounds as a constraint, so ATTACH needs no scan to prove them
    cur.execute(f"ALTER TABLE {new} ADD CHECK (period = %s AND starts_on = %s)", [period, start])
    cur.execute(_walkers_sql(new), [period, start])
    walkers = cur.rowcount
    cur.execute(f"ALTER TABLE {new} ADD PRIMARY KEY (period, starts_on, member_id)")
    for index in WalkerRank._meta.indexes:  # the parent's, so ATTACH adopts them
        columns = ", ".join(connection.ops.quote_name(f) for f in index.fields)
        cur.execute(f"CREATE INDEX ON {new} ({columns})")
    cur.execute(f"ANALYZE {new}")  # fresh statistics, or a top-20 read sorts the period
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cur.fetchone()[0]:
        cur.execute(f"ALTER TABLE {parent} DETACH PARTITION {old}")
        cur.execute(f"DROP TABLE {old}")
    cur.execute(
        f"ALTER TABLE {parent} ATTACH PARTITION {new} FOR VALUES FROM (%s, %s) TO (%s, %s)",
        [period, start, period, start + dt.timedelta(days=1)],
    )
    cur.execute(f"ALTER TABLE {new} RENAME TO {old}")
    return walkers


def _walkers_sql(table: str) -> str:
    return (
        f"INSERT INTO {table} (period, starts_on, member_id, nickname, district_id, "
        f"steps, rank_seoul, rank_district) "
        f"SELECT %s, %s, t.member_id, p.nickname, u.district_id, t.steps, "
        f"RANK() OVER (ORDER BY t.steps DESC), "
        f"CASE WHEN u.district_id IS NULL THEN NULL ELSE "
        f"RANK() OVER (PARTITION BY u.district_id ORDER BY t.steps DESC) END "
        f"FROM {TOTALS} t "
        f"JOIN {_t(WalkerProfile)} p ON p.member_id = t.member_id AND p.ranked "
        f"JOIN {_t(User)} u ON u.id = t.member_id "
        f"WHERE t.steps > 0"
    )


def _crews_sql() -> str:
    total = "COALESCE(SUM(t.steps), 0)"
    return (
        f"INSERT INTO {_t(CrewRank)} (period, starts_on, crew_id, name, walkers, steps, rank) "
        f"SELECT %s, %s, c.id, c.name, COUNT(t.member_id), {total}, "
        f"RANK() OVER (ORDER BY {total} DESC) "
        f"FROM {_t(Crew)} c "
        f"JOIN {_t(CrewMembership)} m ON m.crew_id = c.id AND m.left_at IS NULL "
        f"LEFT JOIN {TOTALS} t ON t.member_id = m.member_id "
        f"GROUP BY c.id, c.name"
    )


def _districts_sql() -> str:
    walkers, total = "COUNT(t.member_id)", "COALESCE(SUM(t.steps), 0)"
    average = f"CASE WHEN {walkers} = 0 THEN 0 ELSE {total} / {walkers} END"
    return (
        f"INSERT INTO {_t(DistrictRank)} (period, starts_on, district_id, name, walkers, steps, "
        f"steps_per_walker, rank) "
        f"SELECT %s, %s, d.id, d.name_ko, {walkers}, {total}, {average}, "
        f"RANK() OVER (ORDER BY {average} DESC) "
        f"FROM {_t(District)} d "
        f"LEFT JOIN ({_district_totals()}) t ON t.district_id = d.id "
        f"GROUP BY d.id, d.name_ko"
    )


def _district_totals() -> str:
    return (
        f"SELECT u.district_id AS district_id, t.member_id AS member_id, t.steps AS steps "
        f"FROM {TOTALS} t JOIN {_t(User)} u ON u.id = t.member_id "
        f"WHERE u.district_id IS NOT NULL AND t.steps > 0"
    )


PERIODS = ("current", "previous", "all")


def refresh_current(
    today: dt.date | None = None, *, full: bool = False, periods: str = "all"
) -> list[RankingRefresh]:
    """The periods containing today and yesterday (so the day the daily accrual just finished is
    counted in its week and month even on a Monday or the 1st).

    `periods` picks among them: "current" (those containing today: all a page shows, see
    `queries.latest_refresh`; the 30-minute job), "previous" (the week or month that ended
    yesterday, on a Monday or the 1st: refreshed once after the accrual and in the nightly
    rebuild, not every 30 minutes) or "all" (both)."""
    if periods not in PERIODS:
        raise ValueError(f"periods must be one of {PERIODS}, not {periods!r}")
    today = today or timezone.localdate()
    done: list[RankingRefresh] = []
    seen: set[tuple[str, dt.date]] = set()
    for day in (today - dt.timedelta(days=1), today):
        for period in (Period.WEEK, Period.MONTH):
            start, _ = bounds(period, day)
            current = start == bounds(period, today)[0]
            if periods != "all" and current != (periods == "current"):
                continue
            if (period, start) not in seen:
                seen.add((period, start))
                done.append(refresh(period, day, today=today, full=full))
    prune(today)
    return done


def prune(today: dt.date) -> int:
    """Keep the current and the previous period of each kind; older rankings go."""
    removed = 0
    for period in (Period.WEEK, Period.MONTH):
        this_start, _ = bounds(period, today)
        previous_start, _ = bounds(period, this_start - dt.timedelta(days=1))
        for model in (WalkerRank, CrewRank, DistrictRank, PeriodSteps, RankingRefresh):
            old = model.objects.filter(period=period, starts_on__lt=previous_start)
            removed += old.delete()[0]
        if connection.vendor == "postgresql":  # the emptied partitions go too
            _drop_partitions(period, previous_start)
    return removed


def _drop_partitions(period: str, before: dt.date) -> None:
    prefix = f"{WalkerRank._meta.db_table}_{period}_"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [WalkerRank._meta.db_table],
        )
        names = [n for (n,) in cur.fetchall() if n.startswith(prefix)]
        for name in names:
            if name.removeprefix(prefix) < f"{before:%Y%m%d}":
                cur.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
