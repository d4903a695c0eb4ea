"""Walking benchmark (a script that prints figures, never a timed test).

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python -m benchmarks.walking [--api-rows 1000000] [--csv-rows 200000] \
        [--walkers 2000000] [--workers 2 | --workers 1,2]

Runs in a throw-away test database (`test_<name>`, created and dropped like pytest-django's):
1. ingest `--api-rows` member-days through the real step feed endpoint (in-process Django test
   client: API-key auth, JSON parsing, per-row validation, token lookup, upsert), 10,000 rows a
   request, then re-sends the first request (replacement, WALK-1);
2. ingest `--csv-rows` member-days as CSV files through the CSV endpoint;
3. accrues one day of `--walkers` walkers (WALK-3; a few percent of the rows carry fair-play
   extras, `fairplay_day`, so some days are held) through the real tasks: `accrue_day` cuts the
   day into chunks and enqueues one `walking.accrue_chunk` task each on the broker, and
   `--workers` Celery worker processes (started here, `benchmarks.workers`) pay them; the script
   waits until the run is finished in the database, prints the stages, the tasks and peak
   memory of each worker, the machine's load before and after, then the floor (COPY of the
   rows the accrual wrote into fresh tables of the same shape, `benchmarks.floor`) and the
   run's ratio to it; then runs the day again (nothing is paid twice). `--workers 1,2` does it
   for 1 and then 2 workers, each over fresh walkers, and prints them side by side.
Setting up people, links and steps is not measured. Goals on PostgreSQL: 1,000,000 member-days
ingested < 60 s, a day of 2,000,000 walkers accrued < 60 s with 2 workers, within 2× the floor.
The broker should be a Redis database of the benchmark's own (its queue is purged first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import floor  # noqa: E402
from benchmarks.workers import Workers, database_url, purge, wait_until  # noqa: E402
from mileage.walking.services.accrual import CHUNK  # noqa: E402

REQUEST_ROWS = 10_000


def _copy(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Bulk load for the unmeasured setup: COPY on PostgreSQL, executemany on SQLite."""
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(rows))


def make_walkers(n: int, prefix: str) -> list[int]:
    from mileage.accounts.models import User

    now = timezone.now()
    start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    ids = list(range(start, start + n))
    _copy(
        User._meta.db_table,
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined", "role", "display_name", "phone",
         "community_centre"],
        [(i, "!", False, f"{prefix}{i}", "", "", "", False, True, now, "citizen", "", "", "")
         for i in ids],
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)", [ids[-1]]
            )
    return ids


def link_all(member_ids: Sequence[int], partner_id: int) -> list[str]:
    from mileage.walking.models import AppLink

    tokens = [f"wl_bench_{partner_id}_{m}" for m in member_ids]
    now = timezone.now()
    _copy(
        AppLink._meta.db_table,
        ["member_id", "partner_id", "token", "linked_at"],
        [(m, partner_id, t, now) for m, t in zip(member_ids, tokens, strict=True)],
    )
    return tokens


def bench_api(client: Client, key: str, tokens: list[str], total: int, days: list[dt.date]) -> None:
    if total <= 0:
        return
    rng = random.Random(1)
    rows = (
        {"member": tokens[i % len(tokens)], "date": days[i // len(tokens)].isoformat(),
         "steps": rng.randint(0, 25_000)}
        for i in range(total)
    )  # fmt: skip
    bodies, batch = [], []
    for row in rows:
        batch.append(row)
        if len(batch) == REQUEST_ROWS:
            bodies.append(json.dumps({"rows": batch}))
            batch = []
    if batch:
        bodies.append(json.dumps({"rows": batch}))
    accepted = 0
    started = time.perf_counter()
    for body in bodies:
        r = client.post("/api/v1/walking/steps", body, content_type="application/json",
                        HTTP_X_API_KEY=key)  # fmt: skip
        assert r.status_code == 200, r.content[:300]
        accepted += r.json()["accepted"]
    took = time.perf_counter() - started
    print(f"API ingest:  {accepted:>10,} member-days in {took:7.2f} s = "
          f"{accepted / took:>10,.0f} member-days/s ({len(bodies)} requests of ≤{REQUEST_ROWS:,})")  # fmt: skip
    started = time.perf_counter()
    client.post("/api/v1/walking/steps", bodies[0], content_type="application/json",
                HTTP_X_API_KEY=key)  # fmt: skip
    took = time.perf_counter() - started
    print(f"API re-send: {REQUEST_ROWS:>10,} member-days replaced in {took:7.2f} s")


def bench_csv(client: Client, key: str, tokens: list[str], total: int, on: dt.date) -> None:
    from mileage.walking.services.csv_import import MAX_CSV_ROWS

    if total <= 0:
        return
    rng = random.Random(2)
    files = []
    for start in range(0, total, MAX_CSV_ROWS):
        out = io.StringIO()
        out.write("member,date,steps\n")
        for i in range(start, min(total, start + MAX_CSV_ROWS)):
            out.write(
                f"{tokens[i % len(tokens)]},{(on - dt.timedelta(days=i // len(tokens))).isoformat()},{rng.randint(0, 25_000)}\n"
            )
        files.append(out.getvalue().encode())
    accepted = 0
    started = time.perf_counter()
    for n, data in enumerate(files):
        upload = io.BytesIO(data)
        upload.name = f"bench-{n}.csv"
        r = client.post("/api/v1/walking/steps/csv", {"file": upload}, HTTP_X_API_KEY=key)
        assert r.status_code == 200, r.content[:300]
        accepted += r.json()["accepted"]
    took = time.perf_counter() - started
    print(f"CSV ingest:  {accepted:>10,} member-days in {took:7.2f} s = "
          f"{accepted / took:>10,.0f} member-days/s ({len(files)} files)")  # fmt: skip


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh statistics, as autovacuum would give loaded tables


def accrue_on_workers(on: dt.date, workers: int, log_dir: Path, chunk: int) -> dict[str, Any]:
    """One day's accrual through the real tasks on `workers` Celery worker processes."""
    from mileage.ledger.models import Account, Lot, Posting, Transaction
    from mileage.walking.models import AccrualRun, DayAccrual
    from mileage.walking.tasks import accrue_day

    def finished(run_id: int) -> Callable[[], bool]:
        return AccrualRun.objects.filter(pk=run_id, finished_at__isnull=False).exists

    tables = [m._meta.db_table for m in (Transaction, Posting, Lot, Account)]
    broker = os.environ["CELERY_BROKER_URL"]
    with Workers(workers, broker=broker, database_url=database_url(), log_dir=log_dir) as pool:
        purge()
        marks = floor.mark(tables)
        load_before = os.getloadavg()
        started = time.perf_counter()
        run = accrue_day(on, started_by="bench", chunk=chunk)  # cut into chunks, enqueue a group
        sent = time.perf_counter() - started
        wait_until(finished(run.pk), pool)
        took = time.perf_counter() - started
        load_after = os.getloadavg()
        run.refresh_from_db()
        print(f"Accrual:     {run.member_days:>10,} member-days paid in {took:7.2f} s = "
              f"{run.member_days / took:>10,.0f} member-days/s ({run.mileage_total:,} mileage; "
              f"{workers} worker process(es), {run.chunks_total} chunks; "
              f"{run.held:,} held by fair play)")  # fmt: skip
        print(f"  stages: cut the day into chunks and enqueue {sent:.2f} s; "
              f"chunks paid by the workers {took - sent:.2f} s")  # fmt: skip
        print(f"  load average before {_load(load_before)}, after {_load(load_after)}")
        pool.report(print)
        again_started = time.perf_counter()
        again = accrue_day(on, started_by="bench", chunk=chunk)
        wait_until(finished(again.pk), pool)
        print(f"Accrual rerun: paid {AccrualRun.objects.get(pk=again.pk).member_days:,} more in "
              f"{time.perf_counter() - again_started:.2f} s (idempotent)")  # fmt: skip
    rows = floor.written(marks, [(DayAccrual._meta.db_table, f"run_id = {int(run.pk)}")])
    floor_s = floor.measure(rows)
    print(f"  run / floor = {took / floor_s:.1f}×")
    return {"workers": workers, "paid": run.member_days, "run_s": took, "floor_s": floor_s,
            "before": load_before, "after": load_after}  # fmt: skip


def fairplay_day(ids: Sequence[int], day: dt.date, rng: random.Random) -> tuple[list, list, list]:
    """One day of steps for `ids` with the fair-play extras of issue #11 on a few rows, so the
    accrual's flags do real work: 2 % plausible hourly series, 0.1 % a shaken phone's hours,
    0.5 % hand-entered steps, 2 % a device of their own, 0.3 % a device shared by three, 0.05 %
    over the hold cap, 0.1 % a spike over ten days of history. The rest: 0-25,000 steps."""
    from benchmarks.fairplay_data import shaken, spread
    from mileage.walking.services.feed import StepRow, device_hash

    reports, extras, history = [], [], []
    farm, farm_left = "", 0
    for i, m in enumerate(ids):
        r = rng.random()
        steps = rng.randint(0, 25_000)
        row = None
        if r < 0.02:
            row = StepRow("", day, steps, hourly=spread(steps, rng))
        elif r < 0.021:
            hours = shaken(rng)
            steps = sum(hours)
            row = StepRow("", day, steps, hourly=hours)
        elif r < 0.026:
            manual = rng.randint(0, steps)
            row = StepRow("", day, steps, manual_steps=manual)
        elif r < 0.046:
            row = StepRow("", day, steps, device=device_hash(f"own-{m}"))
        elif r < 0.049:
            if farm_left == 0:  # a new phone for the next three accounts
                farm, farm_left = device_hash(f"farm-{i}"), 3
            farm_left -= 1
            row = StepRow("", day, steps, device=farm)
        elif r < 0.0495:
            steps = rng.randint(70_001, 100_000)
        elif r < 0.0505:
            steps = rng.randint(40_000, 95_000)
            for back in range(1, 11):
                history.append((m, day - dt.timedelta(days=back), rng.randint(6_000, 10_000)))
        reports.append((m, day, steps))
        if row is not None:
            extras.append((m, row))
    return reports, extras, history


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def bench_accrual(
    walkers: int, partner_id: int, on: dt.date, variants: list[int], log_dir: Path, chunk: int
) -> None:
    """The accrual of `walkers` fresh walkers per variant (one day each), on N worker processes."""
    from mileage.walking.services.feed import upsert_extras, upsert_reports

    if walkers <= 0:
        return
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("the accrual runs on Celery workers: set CELERY_BROKER_URL (redis://…)")
    results = []
    for k, workers in enumerate(variants):
        day = on - dt.timedelta(days=k)
        t = time.perf_counter()
        ids = make_walkers(walkers, f"accrual{k}-")
        rng = random.Random(3 + k)
        reports, extras, history = fairplay_day(ids, day, rng)
        upsert_reports(partner_id, reports + history, timezone.now())
        upsert_extras(partner_id, extras)
        _analyze()
        print(f"  fair play: {len(extras):,} rows with extras (hours, hand-entered steps, "
              f"devices), {len(history):,} history rows")  # fmt: skip
        print(f"setup: {walkers:,} walkers with a day of steps in {time.perf_counter() - t:.1f} s "
              f"(not measured)")  # fmt: skip
        results.append(accrue_on_workers(day, workers, log_dir / f"accrual-{k}-w{workers}", chunk))
    if len(results) > 1:
        print("\nworkers | member-days paid | run s | floor s | run/floor | member-days/s | load")
        for r in results:
            print(f"{r['workers']:>7} | {r['paid']:>16,} | {r['run_s']:5.1f} | {r['floor_s']:7.2f} | "
                  f"{r['run_s'] / r['floor_s']:8.1f}× | {r['paid'] / r['run_s']:13,.0f} | "
                  f"{_load(r['before'])} → {_load(r['after'])}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api-rows", type=int, default=1_000_000)
    parser.add_argument("--csv-rows", type=int, default=200_000)
    parser.add_argument("--walkers", type=int, default=2_000_000)
    parser.add_argument(
        "--workers",
        default="2",
        help="Celery worker processes for the accrual; 1,2 runs both and prints them side by side",
    )
    parser.add_argument("--chunk", type=int, default=CHUNK, help="walkers per accrual task")
    parser.add_argument("--members", type=int, default=200_000, help="linked members for ingest")
    parser.add_argument("--logs", default=None, help="directory for the workers' logs")
    args = parser.parse_args()
    variants = [int(v) for v in args.workers.split(",")]

    from mileage.partners.models import Partner, PartnerKind
    from mileage.partners.services import issue_key

    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); "
              f"load average {_load(os.getloadavg())}")  # fmt: skip
        app = Partner.objects.create(
            slug="bench-app", name="벤치 걷기앱", kind=PartnerKind.WALKING_APP
        )
        _, key = issue_key(app, "bench")
        today = timezone.localdate()
        days = [today]
        if args.api_rows or args.csv_rows:
            t = time.perf_counter()
            members = make_walkers(args.members, "ingest-")
            tokens = link_all(members, app.pk)
            print(f"setup: {len(members):,} linked members in {time.perf_counter() - t:.1f} s "
                  f"(not measured)")  # fmt: skip
            days = [
                today - dt.timedelta(days=d) for d in range(1, args.api_rows // len(tokens) + 2)
            ]
            client = Client()
            bench_api(client, key, tokens, args.api_rows, days)
            csv_day = today - dt.timedelta(days=len(days) + 1)
            bench_csv(client, key, tokens, args.csv_rows, csv_day)
        logs = Path(args.logs) if args.logs else Path(tempfile.mkdtemp(prefix="bench-walking-"))
        bench_accrual(
            args.walkers,
            app.pk,
            today - dt.timedelta(days=len(days) + 60),
            variants,
            logs,
            args.chunk,
        )
        print(f"workers' logs: {logs}")
    finally:
        connections.close_all()  # the workers' connections are gone with them; drop ours too
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
