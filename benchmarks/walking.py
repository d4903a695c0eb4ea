"""Walking benchmark (a script that prints figures, never a timed test).

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
        .venv/bin/python -m benchmarks.walking [--api-rows 1000000] [--csv-rows 200000] \
        [--walkers 2000000] [--accrual-workers 2]

Runs in a throw-away test database (`test_<name>`, created and dropped like pytest-django's):
1. ingest `--api-rows` member-days through the real step feed endpoint (in-process Django test
   client: API-key auth, JSON parsing, per-row validation, token lookup, upsert), 10,000 rows a
   request, then re-sends the first request (replacement, WALK-1);
2. ingest `--csv-rows` member-days as CSV files through the CSV endpoint;
3. accrues one day of `--walkers` walkers (WALK-3) through the set-based accrual and the ledger's
   bulk award path, then runs it again (nothing is paid twice).
Setting up people and links is not measured. Goals on PostgreSQL: 1,000,000 member-days
ingested < 60 s, a day of 2,000,000 walkers accrued < 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

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


def bench_accrual(walkers: int, partner_id: int, on: dt.date, workers: int = 1) -> None:
    from mileage.walking.services.accrual import accrue_day
    from mileage.walking.services.feed import upsert_reports

    if walkers <= 0:
        return
    ids = make_walkers(walkers, "accrual-")
    rng = random.Random(3)
    upsert_reports(partner_id, [(m, on, rng.randint(0, 25_000)) for m in ids], timezone.now())
    statements: Counter[str] = Counter()

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[" ".join(sql.split())[:70]] += time.perf_counter() - begun

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        run = accrue_day(on, started_by="bench", workers=workers)
    took = time.perf_counter() - started
    print(f"Accrual:     {run.member_days:>10,} member-days paid in {took:7.2f} s = "
          f"{run.member_days / took:>10,.0f} member-days/s ({run.mileage_total:,} mileage; "
          f"{walkers:,} walkers, the rest under 100 steps; {workers} worker(s))")  # fmt: skip
    for sql, seconds in statements.most_common(8):
        print(f"  accrual SQL {seconds:6.1f} s  {sql}")
    print(
        f"  outside SQL statements (Python, COPY, commits) {took - sum(statements.values()):.1f} s"
    )
    started = time.perf_counter()
    again = accrue_day(on, started_by="bench")
    took = time.perf_counter() - started
    print(f"Accrual rerun: paid {again.member_days:,} more in {took:.2f} s (idempotent)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api-rows", type=int, default=1_000_000)
    parser.add_argument("--csv-rows", type=int, default=200_000)
    parser.add_argument("--walkers", type=int, default=2_000_000)
    parser.add_argument("--accrual-workers", type=int, default=1, help="processes for the accrual")
    parser.add_argument("--members", type=int, default=200_000, help="linked members for ingest")
    args = parser.parse_args()

    from mileage.partners.models import Partner, PartnerKind
    from mileage.partners.services import issue_key

    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        app = Partner.objects.create(
            slug="bench-app", name="벤치 걷기앱", kind=PartnerKind.WALKING_APP
        )
        _, key = issue_key(app, "bench")
        t = time.perf_counter()
        members = make_walkers(args.members, "ingest-")
        tokens = link_all(members, app.pk)
        print(
            f"setup: {len(members):,} linked members in {time.perf_counter() - t:.1f} s (not measured)"
        )
        today = timezone.localdate()
        days = [today - dt.timedelta(days=d) for d in range(1, args.api_rows // len(tokens) + 2)]
        client = Client()
        bench_api(client, key, tokens, args.api_rows, days)
        csv_day = today - dt.timedelta(days=len(days) + 1)
        bench_csv(client, key, tokens, args.csv_rows, csv_day)
        bench_accrual(
            args.walkers, app.pk, today - dt.timedelta(days=len(days) + 60), args.accrual_workers
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
