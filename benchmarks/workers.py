"""Real Celery workers for the benchmarks: N worker processes, as an operator starts them.

    with Workers(2, broker="redis://127.0.0.1:6379/15", database_url=url, log_dir=tmp) as pool:
        ...                     # send tasks, wait for the database to show they are done
        pool.report(print)      # chunks per worker, seconds in tasks, peak memory per process

Each worker is its own `celery -A mileage.site worker --pool solo` process (one task at a time,
prefetch 1, acks late: the project's settings), with the benchmark's environment plus
DATABASE_URL and CELERY_BROKER_URL, logging to a file. `start` waits until every worker logs
"ready"; `report` counts the tasks each worker finished (its log's "Task … succeeded in …"
lines) and reads each process's peak resident memory (VmHWM in /proc/<pid>/status) before
`stop` ends them (SIGTERM: warm shutdown; SIGKILL after a minute). Use a Redis database of the
benchmark's own: `purge` empties its queue before a measurement.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
_DONE = re.compile(r"Task ([\w.]+)\[[0-9a-f-]+\] succeeded in ([0-9.]+)s")
_FAILED = re.compile(r"Task ([\w.]+)\[[0-9a-f-]+\] (raised unexpected|retry)")


def database_url() -> str:
    """The URL of the database Django is connected to now (e.g. a benchmark's test_… database)."""
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    if connection.vendor != "postgresql":
        raise SystemExit("the worker benchmarks need PostgreSQL (DATABASE_URL=postgresql://…)")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    host = s["HOST"] or "127.0.0.1"
    return f"postgresql://{quote(s['USER'] or '')}{password}@{host}{port}/{quote(s['NAME'])}"


def purge() -> int:
    """Drop every task waiting in the queues of the configured broker (`celery`, `notices`)."""
    from mileage.site.celery import app

    return app.control.purge() or 0


def peak_mb(pid: int) -> float:
    """Peak resident memory of a live process (VmHWM), in MB; 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


class Workers:
    """N Celery worker processes on `broker` against `database_url`; a context manager."""

    def __init__(
        self,
        n: int,
        *,
        broker: str,
        database_url: str,
        log_dir: Path,
        name: str = "bench",
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.n, self.broker, self.database_url = n, broker, database_url
        self.log_dir, self.name, self.extra_args = Path(log_dir), name, extra_args
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.peaks: dict[str, float] = {}

    def __enter__(self) -> Workers:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self, timeout: float = 180) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "CELERY_BROKER_URL": self.broker}
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for i in range(1, self.n + 1):
            node = f"{self.name}{i}"
            self.logs[node] = self.log_dir / f"{node}.log"
            with self.logs[node].open("w") as out:
                self.processes[node] = subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "mileage.site", "worker",
                     "--pool", "solo", "-n", f"{node}@%h", "-l", "info",
                     "--without-gossip", "--without-mingle", "--without-heartbeat",
                     *self.extra_args],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
        deadline = time.monotonic() + timeout
        waiting = set(self.processes)
        while waiting:
            for node in list(waiting):
                if self.processes[node].poll() is not None:
                    raise RuntimeError(f"worker {node} stopped:\n{self.tail(node)}")
                if "ready." in self.logs[node].read_text(errors="replace"):
                    waiting.discard(node)
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"workers not ready after {timeout:.0f} s: {sorted(waiting)}")
            time.sleep(0.2)

    def tail(self, node: str, lines: int = 40) -> str:
        return "\n".join(self.logs[node].read_text(errors="replace").splitlines()[-lines:])

    def check(self) -> None:
        """Raise if a worker died or a task failed (the run would never finish)."""
        for node, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"worker {node} stopped:\n{self.tail(node)}")
            if _FAILED.search(self.logs[node].read_text(errors="replace")):
                raise RuntimeError(f"a task failed on {node}:\n{self.tail(node, 80)}")

    def tasks(self) -> dict[str, Counter[str]]:
        """Per worker: tasks finished, by task name (from the worker's log)."""
        return {node: Counter(n for n, _ in self._done(node)) for node in self.processes}

    def task_seconds(self) -> dict[str, float]:
        return {node: sum(s for _, s in self._done(node)) for node in self.processes}

    def _done(self, node: str) -> list[tuple[str, float]]:
        text = self.logs[node].read_text(errors="replace")
        return [(m.group(1), float(m.group(2))) for m in _DONE.finditer(text)]

    def read_peaks(self) -> dict[str, float]:
        """Peak memory of each live worker process, MB (call before `stop`)."""
        self.peaks = {node: peak_mb(p.pid) for node, p in self.processes.items()}
        return self.peaks

    def report(self, say: Callable[[str], None] = print) -> None:
        peaks = self.read_peaks()
        seconds = self.task_seconds()
        for node, done in self.tasks().items():
            names = ", ".join(f"{count} × {name}" for name, count in sorted(done.items()))
            say(
                f"  worker {node} (pid {self.processes[node].pid}): {names or 'no task'}; "
                f"{seconds[node]:.1f} s in tasks; peak memory {peaks[node]:,.0f} MB"
            )
        say(f"  this process (sends, waits, measures): peak memory {peak_mb(os.getpid()):,.0f} MB")

    def stop(self) -> None:
        if not self.peaks:
            self.read_peaks()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def wait_until(
    done: Callable[[], bool], workers: Workers, *, every: float = 0.2, timeout: float = 3600
) -> float:
    """Poll `done()` (a database read) until true; returns the seconds waited."""
    started = time.perf_counter()
    while not done():
        workers.check()
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"not done after {timeout:.0f} s")
        time.sleep(every)
    return time.perf_counter() - started
