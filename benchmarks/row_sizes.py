"""Row sizes of the tables that grow (issue #12 "Scale plan"): a script that prints figures.

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
        .venv/bin/python -m benchmarks.row_sizes [--walkers 50000] [--days 7] [--vehicles 50000]

In a throw-away database (`test_<name>`, created, migrated and dropped as the other benchmarks
do), with no broker (the tasks run in this process): `--walkers` walkers send `--days` days of
steps (the feed's upsert), each day is accrued (WALK-3: a claim, a ledger transaction, two
postings and a lot per paid member-day), and `--vehicles` synthetic vehicles are evaluated and
paid (results, ledger rows, award-paid notices). Then, per table: rows, the average row as stored
(`pg_column_size` of the whole row, header not included), and the table's total size with its
indexes and TOAST (`pg_total_relation_size`, summed over the partitions of a partitioned table)
per row; the yearly volume at Seoul's numbers is in docs/operations.md ("Scale plan").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time

os.environ.pop("CELERY_BROKER_URL", None)  # the tasks run here, eagerly
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import synthetic_vehicles  # noqa: E402
from benchmarks.walking import make_walkers  # noqa: E402

TABLES = (
    "walking_stepreport",
    "walking_dayaccrual",
    "ledger_transaction",
    "ledger_posting",
    "ledger_lot",
    "ledger_account",
    "core_outboxmessage",
    "evaluations_result",
    "readings_reading",
)


def _total_bytes(cur: object, table: str) -> int:
    cur.execute(  # type: ignore[attr-defined]
        "SELECT COALESCE((SELECT SUM(pg_total_relation_size(relid)) FROM pg_partition_tree(%s)), "
        "pg_total_relation_size(%s))",  # a plain table has no partition tree
        [table, table],
    )
    return int(cur.fetchone()[0])  # type: ignore[attr-defined]


def measure() -> list[tuple[str, int, float, float]]:
    """(table, rows, average stored row bytes, total bytes per row incl. indexes)."""
    out = []
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        for table in TABLES:
            cur.execute(f"SELECT COUNT(*), AVG(pg_column_size(t.*)) FROM {table} t")
            rows, avg = cur.fetchone()
            total = _total_bytes(cur, table)
            out.append((table, rows, float(avg or 0), total / rows if rows else 0.0))
    return out


def load(walkers: int, days: int, vehicles: int) -> None:
    from mileage.accounts.models import Role, User
    from mileage.evaluations import services
    from mileage.partners.models import Partner, PartnerKind
    from mileage.walking.services.feed import upsert_reports
    from mileage.walking.tasks import accrue_day

    t = time.perf_counter()
    app = Partner.objects.create(slug="size-app", name="크기 측정 앱", kind=PartnerKind.WALKING_APP)
    ids = make_walkers(walkers, "size-")
    rng = random.Random(7)
    today = timezone.localdate()
    for k in range(days, 0, -1):
        on = today - dt.timedelta(days=k)
        upsert_reports(app.pk, [(m, on, rng.randint(0, 25_000)) for m in ids], timezone.now())
        accrue_day(on, started_by="row-sizes")
    print(f"walking: {walkers:,} walkers × {days} days in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    window = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    synthetic_vehicles.load(vehicles, window[0], tag="sizecar", seed=1)
    manager = User.objects.create(username="size-manager", role=Role.CITY)
    run = services.run_evaluation(services.start_run(manager, *window, chunk_size=10_000))
    services.sign_off(run, manager)
    services.pay_due(run, today)
    print(f"eco-car: {vehicles:,} vehicles evaluated and paid in {time.perf_counter() - t:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walkers", type=int, default=50_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--vehicles", type=int, default=50_000)
    parser.add_argument(
        "--scratch",
        action="store_true",
        help="use the configured database itself (migrated here; it must be a scratch one, "
        "emptied of the measured tables' rows first) instead of a throw-away test_ database",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("row sizes are PostgreSQL's (DATABASE_URL=postgresql://…)")
    if args.scratch:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        old = None
    else:
        old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.settings_dict['NAME']} (fresh); load {os.getloadavg()}")
        load(args.walkers, args.days, args.vehicles)
        print("\ntable                 |        rows | avg row (B) | total per row (B)")
        for table, rows, avg, per_row in measure():
            print(f"{table:<21} | {rows:>11,} | {avg:>11.1f} | {per_row:>17.1f}")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        connections.close_all()
        if old is not None:
            teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
