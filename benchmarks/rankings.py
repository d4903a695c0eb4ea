"""Rankings benchmark (a script that prints figures, never a timed test).

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
        .venv/bin/python -m benchmarks.rankings [--walkers 2000000] [--opted-in 0.3] \
        [--crew-share 0.1] [--walk-share 0.7]

Runs in a throw-away test database (`test_<name>`, created and dropped like pytest-django's).
Setup, not measured, all in SQL (`generate_series`, no Python row loop): `--walkers` citizens
spread over the 25 districts; a month of counted days (last calendar month, one month
partition) where each walker walks on about `--walk-share` of the days (one source a day, a
second app on some days so WALK-1's largest source matters); `--opted-in` of them with a
ranking nickname; `--crew-share` of them in crews of 20.
Measured, with "today" the month's last day: the nightly full rebuild of the month and of its
last week (`refresh(..., full=True)`: every day's step reports), then `refresh_current` with all
periods containing today and yesterday (reading only the days not yet final,
`walk.ranking_final_after_days`), then what the 30-minute task `community.refresh_rankings`
does (`periods="current"`: the periods containing today) on that day and on the Sunday before
it (a full week and month), and the run after the accrual (`periods="previous"`), then the
ranking page `/walking/rankings/` for an opted-in walker and the public `/walking/districts/`
through the Django test client, 50 requests each (median and 95th percentile). Goals on PostgreSQL with 2,000,000 walkers: refresh < 30 s,
a ranking page < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

CREW_SIZE = 20


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _sql(statement: str, params: list | None = None) -> int:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])
        return cur.rowcount


def load(walkers: int, month: dt.date, days: int, args: argparse.Namespace) -> int:
    """Walkers, a month of step reports, nicknames and crews; returns the step rows."""
    from mileage.partners.models import Partner, PartnerKind
    from mileage.walking.partitions import ensure_partitions

    ensure_partitions(month)
    apps = [
        Partner.objects.create(slug=f"bench-app-{i}", name=f"벤치 앱 {i}", kind=PartnerKind.WALKING_APP)
        for i in (1, 2)
    ]  # fmt: skip
    first = 1_000_000
    _sql(
        "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, "
        "email, is_staff, is_active, date_joined, role, display_name, phone, community_centre, "
        "district_id) "
        "SELECT i, '!', false, 'walker-' || i, '', '', '', false, true, now(), 'citizen', '', "
        "'', '', (SELECT id FROM accounts_district ORDER BY code OFFSET (i %% 25) LIMIT 1) "
        "FROM generate_series(%s, %s) i",
        [first, first + walkers - 1],
    )
    walk_pct = int(args.walk_share * 100)
    rows = _sql(
        'INSERT INTO walking_stepreport (member_id, "on", source_id, steps, received_at) '
        "SELECT m, %s::date + d, %s, 2000 + ((m * 7919 + d * 104729) %% 14000), now() "
        "FROM generate_series(0, %s) d, generate_series(%s::bigint, %s::bigint) m "
        "WHERE (m * 31 + d * 17) %% 100 < %s",
        [month, apps[0].pk, days - 1, first, first + walkers - 1, walk_pct],
    )
    rows += _sql(
        'INSERT INTO walking_stepreport (member_id, "on", source_id, steps, received_at) '
        "SELECT m, %s::date + d, %s, 1000 + ((m * 104729 + d * 7919) %% 16000), now() "
        "FROM generate_series(0, %s) d, generate_series(%s::bigint, %s::bigint) m "
        "WHERE (m * 31 + d * 17) %% 100 < %s AND (m + d) %% 10 = 0",
        [month, apps[1].pk, days - 1, first, first + walkers - 1, walk_pct],
    )
    opted = int(args.opted_in * 100)
    _sql(
        "INSERT INTO community_walkerprofile (member_id, nickname, nickname_key, ranked, "
        "updated_at) SELECT i, '걷는이' || i, '걷는이' || i, (i %% 100) < %s, now() "
        "FROM generate_series(%s, %s) i",
        [opted, first, first + walkers - 1],
    )
    in_crews = int(walkers * args.crew_share) // CREW_SIZE * CREW_SIZE
    crews = in_crews // CREW_SIZE
    if crews:
        _sql(
            "INSERT INTO community_crew (id, name, name_key, description, code, created_by_id, "
            "created_at) SELECT c, '모임' || c, '모임' || c, '', "
            "upper(substr(md5(c::text), 1, 8)), %s + (c - 1) * %s, now() "
            "FROM generate_series(1, %s) c",
            [first, CREW_SIZE, crews],
        )
        _sql(
            "INSERT INTO community_crewmembership (crew_id, member_id, joined_at) "
            "SELECT 1 + (i - %s) / %s, i, now() FROM generate_series(%s, %s) i",
            [first, CREW_SIZE, first, first + in_crews - 1],
        )
    _sql("ANALYZE")
    return rows


def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn()
    took = time.perf_counter() - t
    print(f"{label}: {took:.2f} s ({getattr(result, 'walkers', '')} walkers ranked)")
    return took


def requests(client: Client, path: str, n: int = 50) -> None:
    client.get(path)  # warm: templates, the session
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    print(
        f"GET {path}: median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(n * 0.95) - 1]:.1f} ms ({n} requests); {len(queries)} queries, "
        f"{sum(float(q['time']) for q in queries.captured_queries) * 1000:.1f} ms in SQL, "
        f"slowest {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:90]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--walkers", type=int, default=2_000_000)
    parser.add_argument("--opted-in", type=float, default=0.3)
    parser.add_argument("--crew-share", type=float, default=0.1)
    parser.add_argument("--walk-share", type=float, default=0.7)
    parser.add_argument("--keep", action="store_true", help="keep the test database (EXPLAIN)")
    args = parser.parse_args()

    from mileage.accounts.models import User
    from mileage.community.models import Period
    from mileage.community.services.rankings import refresh, refresh_current

    old = setup_databases(verbosity=0, interactive=False)
    try:
        if connection.vendor != "postgresql":
            raise SystemExit("benchmarks.rankings needs PostgreSQL (DATABASE_URL)")
        today = timezone.localdate()
        month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        days = (today.replace(day=1) - month).days
        print(f"database: {connection.settings_dict['NAME']}; load average {_load()}")
        t = time.perf_counter()
        rows = load(args.walkers, month, days, args)
        print(
            f"setup: {args.walkers:,} walkers, {rows:,} step reports over {days} days, "
            f"{args.opted_in:.0%} opted in, {args.crew_share:.0%} in crews of {CREW_SIZE} "
            f"in {time.perf_counter() - t:.1f} s (not measured); load average {_load()}"
        )
        last = month + dt.timedelta(days=days - 1)  # "today" in the run: the month's last day
        sunday = last - dt.timedelta(days=last.weekday() + 1)  # before it (the month's if a Monday)
        full_s = timed(
            "full rebuild, month (nightly)",
            lambda: refresh(Period.MONTH, month, today=last, full=True),
        )
        timed(
            "full rebuild, week (nightly)",
            lambda: refresh(Period.WEEK, last, today=last, full=True),
        )
        runs = [
            ("first, all three periods (builds the new week's final days)", last, "all"),
            ("steady state, all three periods", last, "all"),
            ('30-minute job on the Monday (periods="current")', last, "current"),
            ('30-minute job on the Sunday before: full week and month ("current")', sunday, "current"),
            ('after the accrual on the Monday (periods="previous")', last, "previous"),
        ]  # fmt: skip
        slowest = 0.0
        for run, today, periods in runs:
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as statements:
                rows = refresh_current(today, periods=periods)
            took = time.perf_counter() - t
            slowest = max(slowest, took) if periods == "current" else slowest
            print(
                f"refresh_current, {run}: {len(rows)} periods in {took:.2f} s "
                f"({', '.join(f'{r.period} {r.starts_on:%m-%d}: {r.walkers}' for r in rows)} "
                f"walkers ranked); load average {_load()}"
            )
            if run.startswith("steady"):
                slow = sorted(statements.captured_queries, key=lambda q: -float(q["time"]))[:6]
                for q in slow:  # where the steady-state refresh spends its time
                    print(f"  {float(q['time']):6.2f} s  {' '.join(q['sql'].split())[:110]}")
        print(
            f"goal: 30-minute refresh < 30 s at 2,000,000 walkers: slowest {slowest:.2f} s; "
            f"full month rebuild {full_s:.2f} s"
        )

        member = User.objects.get(username="walker-1000001")  # opted in (i % 100 < share)
        client = Client()
        client.force_login(member)
        requests(client, "/walking/rankings/?period=month")
        requests(client, "/walking/rankings/?period=week")
        requests(Client(), "/walking/districts/?period=month")
        print(f"load average after: {_load()}")
    finally:
        connections.close_all()
        if not args.keep:
            teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
