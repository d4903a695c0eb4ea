"""Benchmark of a full evaluation run: load N synthetic vehicles, then time read + evaluate +
store results + post awards, printing cycles/s, peak memory and the machine's load.

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
        .venv/bin/python -m benchmarks.evaluation 1000000 --workers 2

Runs against the configured database (migrate it first); the vehicles it loads stay there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time
from collections import Counter
from collections.abc import Callable
from multiprocessing import get_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402

from benchmarks import synthetic_vehicles as synthetic  # noqa: E402
from mileage.accounts.models import Role, User  # noqa: E402
from mileage.evaluations import services  # noqa: E402
from mileage.evaluations.models import EvaluationRun, Result, RunStatus  # noqa: E402
from mileage.ledger import services as ledger  # noqa: E402

WINDOW = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))
PAY_ON = dt.date(2025, 7, 20)


def _peak_mb() -> float:
    """Peak RSS of this process or of any worker process (ru_maxrss is in KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def _work(action: str, run_id: int, numbers: list[int]) -> None:
    """One worker process (as a Celery worker would): its share of the chunks."""
    run = EvaluationRun.objects.get(pk=run_id)
    budget = ledger.account("budget", programme=run.programme)
    for number in numbers:
        if action == "evaluate":
            services.evaluate_chunk(run, number)
        else:
            services.pay_chunk(run, number, budget, PAY_ON)
    connections.close_all()


def _in_workers(action: str, run: EvaluationRun, workers: int) -> None:
    numbers = list(range(run.chunks_total))
    connections.close_all()  # forked workers open their own connections
    with get_context("fork").Pool(workers) as pool:
        pool.starmap(_work, [(action, run.pk, numbers[i::workers]) for i in range(workers)])


def run(
    n: int,
    *,
    chunk_size: int = 50_000,
    workers: int = 1,
    notify: bool = False,
    say: Callable[[str], None] = print,
) -> dict:
    say(f"database: {connection.vendor}; load average {os.getloadavg()}")
    say(f"loading {n:,} synthetic vehicles ...")
    tag = f"b{int(time.time()) % 100000}"
    t0 = time.perf_counter()
    for start in range(0, n, 100_000):
        synthetic.load(
            min(100_000, n - start), WINDOW[0], tag=f"{tag}x{start // 100_000}", seed=start
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh statistics, as autovacuum would give a loaded table
    say(f"loaded in {time.perf_counter() - t0:.1f} s (not part of the run)")
    EvaluationRun.objects.filter(window_from=WINDOW[0], window_to=WINDOW[1]).exclude(
        status=RunStatus.CANCELLED
    ).update(status=RunStatus.CANCELLED)
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": Role.CITY})
    figures: dict[str, float] = {}
    t = time.perf_counter()
    run_ = services.start_run(manager, *WINDOW, chunk_size=chunk_size)
    figures["chunks"] = run_.chunks_total
    if workers > 1:
        _in_workers("evaluate", run_, workers)
    run_ = services.run_evaluation(run_)  # finishes what is left and marks the run evaluated
    figures["evaluate_s"] = time.perf_counter() - t
    services.sign_off(run_, manager)
    t2 = time.perf_counter()
    statements: Counter[str] = Counter()

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[" ".join(sql.split())[:60]] += time.perf_counter() - started

    if workers > 1:
        _in_workers("pay", run_, workers)
    with connection.execute_wrapper(timed):
        paid = services.pay_due(run_, PAY_ON, notify=False)
    paid = Result.objects.filter(run=run_, mileage__gt=0).count() if workers > 1 else paid
    figures["pay_s"] = time.perf_counter() - t2
    for sql, seconds in statements.most_common(6):
        say(f"  pay SQL {seconds:6.1f} s  {sql}")
    total = time.perf_counter() - t
    cycles = Result.objects.filter(run=run_).count()
    figures.update(
        cycles=cycles, paid=paid, total_s=total, cycles_per_s=cycles / total, peak_mb=_peak_mb()
    )
    t3 = time.perf_counter()
    if notify:
        for number in range(run_.chunks_total):
            services.notify_paid(run_, number, PAY_ON)
        say(f"award-paid notices (outside the timed run): {time.perf_counter() - t3:.1f} s")
    say(
        f"run {run_.pk}: {cycles:,} cycles evaluated, {paid:,} awards paid in {total:.1f} s "
        f"(select+evaluate+store {figures['evaluate_s']:.1f} s, pay {figures['pay_s']:.1f} s); "
        f"{cycles / total:,.0f} cycles/s with {workers} worker(s); peak memory {figures['peak_mb']:,.0f} MB"
    )
    say(f"load average at the end {os.getloadavg()}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vehicles", type=int, nargs="?", default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--chunk-size", type=int, default=50_000)
    args = parser.parse_args()
    run(args.vehicles, workers=args.workers, chunk_size=args.chunk_size)


if __name__ == "__main__":
    main()
