"""Benchmark of a full evaluation run through the real tasks on Celery workers: load N synthetic
vehicles, then start the run (`evaluate_run`), sign it off, pay it (`pay_run`, with the award-paid
notices), and print per-stage times, tasks and peak memory per worker, the floor and the ratio.

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python -m benchmarks.evaluation 1000000 --workers 2      # or --workers 1,2

Runs in a throw-away database (`test_<name>` of the configured one, created, migrated and
dropped like pytest-django's), so every run covers exactly the vehicles it loaded. `--workers` Celery worker processes are started here (`benchmarks.workers`);
the run is started as the city's page does (`services.start_run`, then the task
`evaluations.tasks.evaluate_run` on the broker), the script waits by polling the run's status
in the database, signs it off, sends `pay_run` and waits for "paid". Whatever those tasks
enqueue (one task per chunk, once the runs fan out) runs on the same workers. The floor is
the time to COPY the rows the run wrote (results, ledger transactions, postings, lots, new
wallets, notices) into fresh tables of the same shape (`benchmarks.floor`). `--workers 1,2`
runs the whole thing for each count over its own vehicles (another two-month window) and prints
them side by side. Use a Redis database of the benchmark's own (its queue is purged first).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from benchmarks import floor  # noqa: E402
from benchmarks import synthetic_vehicles as synthetic  # noqa: E402
from benchmarks.workers import Workers, database_url, purge, wait_until  # noqa: E402
from mileage.accounts.models import Role, User  # noqa: E402
from mileage.core.models import OutboxMessage  # noqa: E402
from mileage.evaluations import services, tasks  # noqa: E402
from mileage.evaluations.models import EvaluationRun, Result, RunChunk, RunStatus  # noqa: E402
from mileage.ledger.models import Account, Lot, Posting, Transaction  # noqa: E402

LOADED_BY = 100_000


def window(k: int) -> tuple[dt.date, dt.date]:
    """The k-th two-month window back from May–June 2025 (one per side-by-side variant)."""
    month = 5 - 2 * k
    if month < 1:
        raise SystemExit("at most three side-by-side variants")
    last = calendar.monthrange(2025, month + 1)[1]
    return dt.date(2025, month, 1), dt.date(2025, month + 1, last)


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def load_vehicles(n: int, window_from: dt.date) -> None:
    print(f"loading {n:,} synthetic vehicles for the window from {window_from} ...")
    tag = f"b{int(time.time()) % 100000}"
    t0 = time.perf_counter()
    for start in range(0, n, LOADED_BY):
        synthetic.load(
            min(LOADED_BY, n - start), window_from, tag=f"{tag}x{start // LOADED_BY}", seed=start
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # fresh statistics, as autovacuum would give a loaded table
    print(f"loaded in {time.perf_counter() - t0:.1f} s (not part of the run)")


def _status_is(run_id: int, *statuses: str) -> Any:
    return EvaluationRun.objects.filter(pk=run_id, status__in=statuses).exists


def run_on_workers(
    n: int, workers: int, window_: tuple[dt.date, dt.date], chunk_size: int, log_dir: Path
) -> dict[str, Any]:
    load_vehicles(n, window_[0])
    EvaluationRun.objects.filter(window_from=window_[0], window_to=window_[1]).exclude(
        status=RunStatus.CANCELLED
    ).update(status=RunStatus.CANCELLED)
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": Role.CITY})
    tables = [m._meta.db_table for m in (Transaction, Posting, Lot, Account, OutboxMessage)]
    broker = os.environ["CELERY_BROKER_URL"]
    stages: dict[str, float] = {}
    # Production form (docs/operations.md "Processes"): the run's chunk workers take the
    # `celery` queue; one deliverer takes `notices`, beside them on the same machine.
    run_workers = Workers(
        workers, broker=broker, database_url=database_url(), log_dir=log_dir,
        extra_args=("-Q", "celery"),
    )  # fmt: skip
    deliverer = Workers(
        1, broker=broker, database_url=database_url(), log_dir=log_dir, name="notices",
        extra_args=("-Q", "notices"),
    )  # fmt: skip
    # An earlier variant's undelivered notices are set aside, so this variant's deliverer works
    # on this run's notices only (the side-by-side figures stay comparable).
    OutboxMessage.objects.filter(status="pending").update(
        status="skipped", last_error="benchmark: an earlier variant's notice"
    )
    with run_workers as pool, deliverer:
        purge()
        marks = floor.mark(tables)
        notices_from = marks[OutboxMessage._meta.db_table]
        load_before = os.getloadavg()
        t = time.perf_counter()
        run = services.start_run(manager, *window_, chunk_size=chunk_size)
        stages["start (select participations, cut chunks)"] = time.perf_counter() - t
        t = time.perf_counter()
        tasks.evaluate_run.delay(run.pk)
        wait_until(
            _status_is(run.pk, RunStatus.EVALUATED, RunStatus.SIGNED_OFF, RunStatus.PAID), pool
        )
        stages["evaluate + store results (evaluate_run)"] = time.perf_counter() - t
        t = time.perf_counter()
        services.sign_off(run, manager)
        stages["sign-off"] = time.perf_counter() - t
        t = time.perf_counter()
        tasks.pay_run.delay(run.pk)
        wait_until(_status_is(run.pk, RunStatus.PAID), pool)
        stages["pay + notify (pay_run)"] = time.perf_counter() - t
        total = sum(stages.values())
        load_after = os.getloadavg()
        cycles = Result.objects.filter(run=run).count()
        paid = Result.objects.filter(run=run, mileage__gt=0).count()
        notices = OutboxMessage.objects.filter(pk__gt=notices_from).count()
        chunks = RunChunk.objects.filter(run=run).count()
        print(
            f"run {run.pk} ({workers} worker process(es), {chunks} chunks of ≤{chunk_size:,}): "
            f"{cycles:,} cycles evaluated, {paid:,} awards paid, {notices:,} notices in "
            f"{total:.1f} s = {cycles / total:,.0f} cycles/s"
        )
        for stage, seconds in stages.items():
            print(f"  {seconds:7.2f} s  {stage}")
        print(f"  load average before {_load(load_before)}, after {_load(load_after)}")
        pool.report(print)
        delivered = OutboxMessage.objects.filter(pk__gt=notices_from).exclude(status="pending")
        print(f"  the deliverer (own queue, beside the run) settled {delivered.count():,} of the "
              f"{notices:,} notices by the time the run was paid")  # fmt: skip
        deliverer.report(print)
    rows = floor.written(marks, [(Result._meta.db_table, f"run_id = {int(run.pk)}")])
    floor_s = floor.measure(rows)
    print(f"  run / floor = {total / floor_s:.1f}×")
    return {"workers": workers, "cycles": cycles, "paid": paid, "notices": notices,
            "run_s": total, "floor_s": floor_s, "before": load_before, "after": load_after}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vehicles", type=int, nargs="?", default=10_000)
    parser.add_argument(
        "--workers",
        default="2",
        help="Celery worker processes; 1,2 runs both (each over its own vehicles) side by side",
    )
    parser.add_argument("--chunk-size", type=int, default=50_000)
    parser.add_argument("--logs", default=None, help="directory for the workers' logs")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit(
            "the evaluation benchmark runs on PostgreSQL (DATABASE_URL=postgresql://…)"
        )
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("the run goes through Celery workers: set CELERY_BROKER_URL (redis://…)")
    logs = Path(args.logs) if args.logs else Path(tempfile.mkdtemp(prefix="bench-evaluation-"))
    old = setup_databases(verbosity=0, interactive=False)  # a fresh test_<name> database
    try:
        print(f"database: {connection.settings_dict['NAME']} (fresh); "
              f"load average {_load(os.getloadavg())}")  # fmt: skip
        results = []
        for k, workers in enumerate(int(v) for v in args.workers.split(",")):
            results.append(
                run_on_workers(args.vehicles, workers, window(k), args.chunk_size, logs / f"w{k}")
            )
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)
    if len(results) > 1:
        print("\nworkers | cycles | awards | notices | run s | floor s | run/floor | load")
        for r in results:
            print(f"{r['workers']:>7} | {r['cycles']:,} | {r['paid']:,} | {r['notices']:,} | "
                  f"{r['run_s']:.1f} | {r['floor_s']:.2f} | {r['run_s'] / r['floor_s']:.1f}× | "
                  f"{_load(r['before'])} → {_load(r['after'])}")  # fmt: skip
    print(f"workers' logs: {logs}")


if __name__ == "__main__":
    main()
