"""Benchmark of the rules engine's eco-car paths (`make bench`, `python -m benchmarks.rules`).

Synthetic first cycles with a fixed seed (`benchmarks.synthetic_cycles`): the scalar path
`mileage.rules.evaluate` over 100,000 cases, the batch path `evaluate_eco_car` over 100,000 and
1,000,000 rows (polars DataFrame in and out, and the numpy kernel alone), then an agreement count
of batch against scalar on the scalar sample. Prints wall-clock and CPU seconds (best of
--repeat runs; CPU time sums both threads), rows per second, and peak memory two ways:
tracemalloc's peak of Python/numpy allocations during one call (polars' Rust buffers are not
traced) and the process's peak resident set (getrusage ru_maxrss, whole process, inputs included).
The scalar line is one run over the cases (cold: dates parsed and derived values computed on
first sight), followed by the time the garbage collector took during it.
The machine's load average is printed too: other processes make wall-clock figures slower.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import polars as pl

from benchmarks.synthetic_cycles import SEED, as_cases, eco_car_cycles
from mileage.rules import evaluate
from mileage.rules.batch import eco_car, evaluate_eco_car, reasons_list
from mileage.rules.batch.frame import _columns, _from_numpy, _numpy_nulls
from mileage.rules.params import default_parameters


def _best(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(best wall seconds, CPU seconds of that run)."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        best = min(best, took)
    return best


@contextlib.contextmanager
def _gc_time() -> Iterator[dict[str, float]]:
    """Seconds spent in the garbage collector meanwhile (gc.callbacks), and how many runs."""
    totals = {"seconds": 0.0, "runs": 0.0, "full": 0.0}
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        totals["seconds"] += time.perf_counter() - started[0]
        totals["runs"] += 1
        totals["full"] += info["generation"] == 2

    gc.callbacks.append(callback)
    try:
        yield totals
    finally:
        gc.callbacks.remove(callback)


def _traced_peak_mb(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _line(label: str, rows: int, wall: float, cpu: float, extra: str = "") -> None:
    print(
        f"{label:<44} {rows:>9,} rows  {wall:8.4f} s wall  {cpu:8.4f} s cpu  "
        f"{rows / wall:>12,.0f} rows/s {extra}"
    )


def _agreement(columns: dict[str, np.ndarray], cases: list[dict[str, Any]]) -> tuple[int, int]:
    """(rows where every batch field equals the scalar result, rows compared)."""
    out = evaluate_eco_car(columns)
    assert isinstance(out, dict)
    same = 0
    end = np.datetime_as_string(out["end_on"], unit="D").tolist()
    start = np.datetime_as_string(columns["start_date"], unit="D").tolist()
    pay = np.datetime_as_string(out["payment_on"], unit="D").tolist()
    for i, history in enumerate(cases):
        (expected,) = evaluate(history)["cycles"]

        def num(name: str, row: int = i) -> float | None:
            value = float(out[name][row])
            return None if np.isnan(value) else value

        got = {
            "start": start[i],
            "end": end[i],
            "days": int(out["days"][i]),
            "baseline_km": num("baseline_km"),
            "driven_km": num("driven_km"),
            "reduction_km": num("reduction_km"),
            "reduction_pct": num("reduction_pct"),
            "status": str(out["status"][i]),
            "kind": str(out["kind"][i]) or None,
            "mileage": int(out["mileage"][i]),
            "payment_on": None if pay[i] == "NaT" else pay[i],
            "reasons": reasons_list(int(out["reasons"][i])),
        }
        same += got == expected
    return same, len(cases)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scalar", type=int, default=100_000, help="scalar cases (default 100,000)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, best taken")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    params = default_parameters()
    print(f"seed {SEED}; {os.cpu_count()} cores; load average {os.getloadavg()}")

    big = eco_car_cycles(1_000_000)
    evaluate_eco_car({name: values[:1000] for name, values in big.items()})  # compile / load

    for rows in (100_000, 1_000_000):
        arrays = {name: values[:rows] for name, values in big.items()}
        frame = pl.DataFrame(arrays)
        kernel_in = _columns(
            lambda name, a=arrays: _from_numpy(a[name], name),
            lambda name, a=arrays: _numpy_nulls(a, name),
            set(arrays),
            rows,
        )
        wall, cpu = _best(
            lambda k=kernel_in: eco_car.evaluate_columns(k, params, threads=args.threads),
            args.repeat,
        )
        peak = _traced_peak_mb(lambda k=kernel_in: eco_car.evaluate_columns(k, params))
        _line(
            f"batch kernel (numpy in/out, {args.threads} threads)",
            rows,
            wall,
            cpu,
            f" traced peak {peak:6.1f} MB",
        )
        wall, cpu = _best(lambda f=frame: evaluate_eco_car(f, params), args.repeat)
        peak = _traced_peak_mb(lambda f=frame: evaluate_eco_car(f, params))
        _line(
            "batch evaluate_eco_car(polars DataFrame)",
            rows,
            wall,
            cpu,
            f" traced peak {peak:6.1f} MB",
        )
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"process peak RSS after the batch runs (ru_maxrss: libraries, 1M-row inputs as numpy "
        f"and polars, outputs): {maxrss_mb:,.0f} MB"
    )

    # Scalar path: one case (one cycle) at a time.
    sample = {name: values[: args.scalar] for name, values in big.items()}
    cases = as_cases(sample)
    with _gc_time() as collections:
        wall, cpu = _best(lambda: [evaluate(case) for case in cases], 1)
    _line("scalar evaluate(case)", len(cases), wall, cpu)
    print(
        f"  of which garbage collection (results kept, inputs in memory): "
        f"{collections['seconds']:.4f} s in {collections['runs']:.0f} collections, "
        f"{collections['full']:.0f} of them full"
    )

    same, compared = _agreement(sample, cases)
    print(f"agreement: batch equals scalar on {same:,} of {compared:,} cycles (every field)")
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
