"""Benchmark of the budget what-if (정책 시뮬레이션, issue #14) over N synthetic enrolled vehicles on
PostgreSQL: every tier +10,000 (both ECO-9 tables), evaluated with the current and the proposed
parameters chunk by chunk, as the city's page does. Prints the time per stage and the load.

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
        .venv/bin/python -m benchmarks.whatif 1000000                 # in this process
    ... CELERY_BROKER_URL=redis://127.0.0.1:6379/15 .venv/bin/python -m benchmarks.whatif \
        1000000 --workers 2                                           # on Celery workers

Runs in a throw-away database (`test_<name>` of the configured one, created, migrated and
dropped), loading the vehicles with `benchmarks.synthetic_vehicles` as `benchmarks.evaluation`
does. Stages: start (check the changes, select the participations, cut the chunks); the chunks
(`services.run_simulation` in this process, or `whatif.tasks.simulate` fanned out over
`--workers` Celery worker processes); then, in this process only and not part of the total, one
pass over the same chunks timed piece by piece (read + split, evaluate current, evaluate
proposed, summarise). Goal: 1,000,000 vehicles in under 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from benchmarks.evaluation import load_vehicles  # noqa: E402
from mileage.accounts.models import Role, User  # noqa: E402
from mileage.core.parameters import current_parameters  # noqa: E402
from mileage.evaluations import eco_car  # noqa: E402
from mileage.whatif import compute, services  # noqa: E402
from mileage.whatif.models import Simulation, SimulationStatus  # noqa: E402
from mileage.whatif.programmes import eco_rows  # noqa: E402

WINDOW = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))
CHANGES = [
    {
        "name": "eco.regular_km_tiers",
        "key": "2000-01-01",
        "value": '[{"from": 0, "mileage": 30000}, {"from": 1000, "mileage": 40000},'
        ' {"from": 2000, "mileage": 60000}, {"from": 3000, "mileage": 80000}]',
    },
    {
        "name": "eco.regular_pct_tiers",
        "key": "2000-01-01",
        "value": '[{"from": 0, "mileage": 30000}, {"from": 10, "mileage": 40000},'
        ' {"from": 20, "mileage": 60000}, {"from": 30, "mileage": 80000}]',
    },
]


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def pieces(sim: Simulation) -> Counter[str]:
    """One more pass over the chunks, each piece timed (not part of the what-if's total)."""
    took: Counter[str] = Counter()
    current = current_parameters()
    proposed = services.proposed_parameters(sim.overrides)
    for chunk in sim.chunks.order_by("number"):
        t = time.perf_counter()
        cycles = eco_car.window_cycles(*WINDOW, chunk.first_vehicle_id, chunk.last_vehicle_id)
        took["read + split (one SQL statement, cycle_frame)"] += time.perf_counter() - t
        sides = []
        for label, params in (("current", current), ("proposed", proposed)):
            t = time.perf_counter()
            sides.append(eco_rows(eco_car.in_window_outcomes(cycles, params, *WINDOW)))
            took[f"evaluate {label} (rules batch path)"] += time.perf_counter() - t
        t = time.perf_counter()
        compute.summarise(*sides)
        took["summarise"] += time.perf_counter() - t
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vehicles", type=int, nargs="?", default=100_000)
    parser.add_argument("--workers", type=int, default=0, help="Celery worker processes (0: here)")
    parser.add_argument("--chunk-size", type=int, default=50_000)
    parser.add_argument("--logs", default=None, help="directory for the workers' logs")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("the what-if benchmark runs on PostgreSQL (DATABASE_URL=postgresql://…)")
    if args.workers and not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("--workers needs CELERY_BROKER_URL (redis://…)")
    old = setup_databases(verbosity=0, interactive=False)  # a fresh test_<name> database
    try:
        print(f"database: {connection.settings_dict['NAME']} (fresh); "
              f"load average {_load(os.getloadavg())}")  # fmt: skip
        load_vehicles(args.vehicles, WINDOW[0])
        manager, _ = User.objects.get_or_create(
            username="bench-manager", defaults={"role": Role.CITY}
        )
        stages: dict[str, float] = {}
        before = os.getloadavg()
        t = time.perf_counter()
        sim = services.start(manager, "eco-car", *WINDOW, CHANGES, chunk_size=args.chunk_size)
        stages["start (check changes, participations, chunks)"] = time.perf_counter() - t
        t = time.perf_counter()
        if args.workers:
            from benchmarks.workers import Workers, database_url, purge, wait_until
            from mileage.whatif import tasks

            logs = Path(args.logs or tempfile.mkdtemp(prefix="bench-whatif-"))
            with Workers(args.workers, broker=os.environ["CELERY_BROKER_URL"],
                         database_url=database_url(), log_dir=logs) as pool:  # fmt: skip
                purge()
                t = time.perf_counter()
                tasks.simulate.delay(sim.pk)
                done = Simulation.objects.filter(pk=sim.pk).exclude(status="running").exists
                wait_until(done, pool)
                stages[f"chunks on {args.workers} worker(s) (simulate)"] = time.perf_counter() - t
                pool.report(print)
        else:
            services.run_simulation(sim)
            stages["chunks in this process (run_simulation)"] = time.perf_counter() - t
        after = os.getloadavg()
        sim.refresh_from_db()
        total = sum(stages.values())
        summary = sim.summary
        assert sim.status == SimulationStatus.DONE, sim.error
        print(
            f"what-if {sim.pk}: {args.vehicles:,} vehicles, {sim.chunks_total} chunks of "
            f"≤{args.chunk_size:,}, {summary['current']['cycles']:,} cycles each side in "
            f"{total:.1f} s (goal: 1,000,000 vehicles under 60 s)"
        )
        for stage, seconds in stages.items():
            print(f"  {seconds:7.2f} s  {stage}")
        print(
            f"  current {summary['current']['mileage']:,} → proposed "
            f"{summary['proposed']['mileage']:,} (members gaining {summary['members']['gain']:,})"
        )
        print(f"  load average before {_load(before)}, after {_load(after)}")
        print("pieces, one more pass in this process (not in the total):")
        for piece, seconds in pieces(sim).items():
            print(f"  {seconds:7.2f} s  {piece}")
        print(f"  load average now {_load(os.getloadavg())}")
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
