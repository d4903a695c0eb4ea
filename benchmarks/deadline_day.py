"""Deadline-day load test (issue #12): locust against the production server form on PostgreSQL.

    python -m benchmarks.deadline_day --users 60 --duration 120     # (.venv/bin/python)

Self-contained: creates (drops first) the PostgreSQL database `--db` on `--pg`, migrates it,
collects the static files, seeds citizens whose annual reading window is open today (one
upload each, `benchmarks/loadtest/seed.py`), makes the two 4000 × 3000 photos once
(`var/loadtest/`), starts the web server exactly as `make serve` does (gunicorn with
`mileage/site/gunicorn.py`, production mode, DEBUG off, whitenoise, `WEB_CONCURRENCY` workers,
behind a TLS proxy as in production: `BEHIND_TLS_PROXY=1`), and runs locust headless
(`benchmarks/loadtest/locustfile.py`): `--users` simulated citizens started over `--ramp`
seconds, then held for `--duration` seconds. The figures cover the hold only (locust
`--reset-stats`); the upload count covers the whole run.

`--photo-checks worker` runs the same test with `READING_PHOTO_CHECKS=worker`: the server keeps
each upload as sent and `--check-workers` Celery worker processes (`benchmarks/workers.py`, on
`--broker`) check the photos after the response; the counts wait until none is "사진 확인 중".

Prints requests per second, p50 / p95 / p99 per kind of request, failures, 5xx, the machine's
load (`os.getloadavg()`, sampled every 5 s), the generator's CPU time, and the uploads that
locust saw accepted against the readings rows and photo files stored (PASS when equal: one
reading and two new photo files per accepted upload). Photos go to a fresh directory that is
removed at the end (`--keep` keeps it and the logs). The database is left for inspection and
dropped by the next run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = ("login_page", "login", "dashboard", "eco", "vehicle", "logout")
GOAL_RPS, GOAL_PAGE_P99_MS, GOAL_UPLOAD_P99_MS = 40.0, 300.0, 2000.0


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=60, help="simulated citizens at once (60)")
    p.add_argument("--duration", type=int, default=120, help="seconds held after the ramp (120)")
    p.add_argument("--ramp", type=int, default=30, help="seconds to start every user (30)")
    p.add_argument("--citizens", type=int, default=0, help="citizens seeded (default: enough)")
    p.add_argument("--web-workers", type=int, default=0, help="WEB_CONCURRENCY (2 x CPUs + 1)")
    p.add_argument("--port", type=int, default=8201)
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL")
    p.add_argument("--db", default="mileage_deadline_day", help="database (dropped, created)")
    p.add_argument("--broker", default="redis://127.0.0.1:6379/2", help="CELERY_BROKER_URL")
    p.add_argument("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE (60)")
    p.add_argument(
        "--photo-checks", choices=("request", "worker"), default="request",
        help="READING_PHOTO_CHECKS: check photos in the request (default) or on Celery workers",
    )  # fmt: skip
    p.add_argument("--check-workers", type=int, default=1, help="Celery workers for 'worker' (1)")
    p.add_argument("--keep", action="store_true", help="keep the photos and logs directory")
    return p.parse_args()


def _environment(args: argparse.Namespace, work: Path) -> dict[str, str]:
    """The production environment of every process: the server's, the seed's, the counts'."""
    from cryptography.fernet import Fernet

    workers = args.web_workers or (os.cpu_count() or 1) * 2 + 1
    return {
        "MILEAGE_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "mileage.site.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BANK_ACCOUNT_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{args.pg.rstrip('/')}/{args.db}",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
        "CELERY_BROKER_URL": args.broker,
        "BEHIND_TLS_PROXY": "1",  # the generator plays the TLS proxy (X-Forwarded-Proto)
        "MILEAGE_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "PHOTO_STORAGE": "local",
        "PORT": str(args.port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
        "READING_PHOTO_CHECKS": args.photo_checks,
    }


def _fresh_database(pg: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _prepare(args: argparse.Namespace, work: Path, citizens: int) -> Path:
    """Migrate, collect static files, seed; returns the citizens file."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.loadtest import seed

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    rows = seed.load(citizens)
    path = work / "citizens.txt"
    path.write_text("".join(f"{name} {vehicle}\n" for name, vehicle in rows))
    connections.close_all()
    print(f"database {args.db}: migrated, {len(rows):,} citizens seeded "
          f"in {time.perf_counter() - t0:.1f} s (not measured)")  # fmt: skip
    return path


def _wait_ready(url: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"{url}/login/", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the web server stopped while starting (see its log)")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the web server did not answer {url}/login/ in {timeout:.0f} s")


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s while the test runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(5):
            self.samples.append(os.getloadavg()[0])


def _run_locust(
    args: argparse.Namespace, url: str, env: dict[str, str], work: Path
) -> tuple[int, float]:
    rate = max(1.0, args.users / max(1, args.ramp))
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "benchmarks/loadtest/locustfile.py"),
        "--headless", "--host", url, "-u", str(args.users), "-r", f"{rate:.3f}",
        "--run-time", f"{args.ramp + args.duration}s", "--reset-stats", "--only-summary",
        "--stop-timeout", "60", "--csv", str(work / "locust"), "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    with (work / "locust.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime


def _drain(checkers: Any, timeout: float = 600) -> float:
    """Wait until no reading is "사진 확인 중" any more; seconds waited."""
    from mileage.readings.models import Reading, ReadingStatus

    t0 = time.perf_counter()
    while Reading.objects.filter(status=ReadingStatus.CHECKING).exists():
        checkers.check()
        if time.perf_counter() - t0 > timeout:
            raise SystemExit(f"photo checks not done {timeout:.0f} s after the test")
        time.sleep(0.5)
    return time.perf_counter() - t0


def _stats(work: Path) -> list[dict[str, str]]:
    with (work / "locust_stats.csv").open() as f:
        return list(csv.DictReader(f))


def _ms(row: dict[str, str], column: str) -> float:
    value = row.get(column, "N/A")
    return float(value) if value not in ("", "N/A") else float("nan")


def _count_stored(work: Path) -> tuple[int, int, int, int]:
    """Annual readings for review, stored photos, photo files; and readings whose check failed."""
    from mileage.readings.models import Photo, Reading

    annual = Reading.objects.filter(event="annual")
    readings = annual.filter(status="submitted").count()
    failed = annual.exclude(status__in=["submitted", "approved"]).count()
    photos = Photo.objects.exclude(sha256="0" * 64).count()
    files = sum(1 for p in (work / "media").rglob("*") if p.is_file())
    return readings, photos, files, failed


def main() -> None:
    args = _args()
    work = Path(tempfile.mkdtemp(prefix="deadline-day-"))
    citizens = args.citizens or max(500, math.ceil(args.users * (args.ramp + args.duration) / 8))
    env = _environment(args, work)
    os.environ.update(env)
    print(f"deadline-day load test: {args.users} users, ramp {args.ramp} s, hold "
          f"{args.duration} s; photo checks in the {args.photo_checks}"
          f"{f' ({args.check_workers} Celery workers)' if args.photo_checks == 'worker' else ''}; gunicorn {env['WEB_CONCURRENCY']} workers x "
          f"{os.environ.get('WEB_THREADS', '1')} thread, DB_CONN_MAX_AGE={args.conn_max_age}; "
          f"{os.cpu_count()} CPUs; work dir {work}")  # fmt: skip
    _fresh_database(args.pg, args.db)
    citizens_file = _prepare(args, work, citizens)

    from benchmarks.loadtest import photos

    photo_paths = photos.ensure(ROOT / "var" / "loadtest")
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in photo_paths)
    print(f"photos 4000x3000 JPEG: {sizes}")

    from django.utils import timezone

    url = f"http://127.0.0.1:{args.port}"
    locust_env = {
        **os.environ,
        "LOADTEST_CITIZENS": str(citizens_file),
        "LOADTEST_PASSWORD": "deadline-day-2024",
        "LOADTEST_PHOTOS": str(photo_paths[0].parent),
        "LOADTEST_DAY": timezone.localdate().strftime("%Y:%m:%d"),
        "LOADTEST_RESULT": str(work / "counters.json"),
    }
    server_log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "mileage.site.wsgi:application", "-c",
         "python:mileage.site.gunicorn"],
        cwd=ROOT, env=os.environ.copy(), stdout=server_log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    sampler = LoadSampler()
    checkers = None
    try:
        if args.photo_checks == "worker":
            from benchmarks.workers import Workers, purge

            purge()
            checkers = Workers(
                args.check_workers, broker=args.broker, database_url=env["DATABASE_URL"],
                log_dir=work / "celery", name="photos",
            )  # fmt: skip
            checkers.start()
        _wait_ready(url, server)
        load_before = os.getloadavg()
        print(f"load before: {' '.join(f'{x:.2f}' for x in load_before)}; running locust ...")
        sampler.start()
        t0 = time.perf_counter()
        code, generator_cpu = _run_locust(args, url, locust_env, work)
        wall = time.perf_counter() - t0
        if checkers is not None:
            drained = _drain(checkers)
            print(f"photo checks on {args.check_workers} worker(s): the last one done "
                  f"{drained:.1f} s after locust stopped")  # fmt: skip
    finally:
        if checkers is not None:
            checkers.stop()
        sampler.stopped.set()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        server_log.close()
    load_after = os.getloadavg()
    if code != 0:
        print((work / "locust.log").read_text()[-3000:])
        raise SystemExit(f"locust exited with {code}")
    _report(args, work, wall, generator_cpu, load_before, load_after, sampler.samples)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _report(
    args: argparse.Namespace,
    work: Path,
    wall: float,
    generator_cpu: float,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    samples: list[float],
) -> None:
    rows = _stats(work)
    counters: dict[str, Any] = json.loads((work / "counters.json").read_text())
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"\nheld {args.duration} s at {args.users} users (after a {args.ramp} s ramp; "
          f"run {wall:.0f} s in all)")  # fmt: skip
    print(f"{'request':<12}{'count':>8}{'fail':>6}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}")  # fmt: skip
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "all" if r["Name"] == "Aggregated" else r["Name"]
        print(f"{name:<12}{int(r['Request Count']):>8}{int(r['Failure Count']):>6}"
              f"{float(r['Requests/s']):>8.1f}{_ms(r, '50%'):>9.0f}{_ms(r, '95%'):>9.0f}"
              f"{_ms(r, '99%'):>9.0f}{_ms(r, 'Max Response Time'):>9.0f}")  # fmt: skip
    failures = work / "locust_failures.csv"
    if failures.exists():
        for r in list(csv.DictReader(failures.open()))[:10]:
            print(f"  failure: {r['Name']} x{r['Occurrences']}: {r['Error']}")
    rps = float(total["Requests/s"])
    uploads = [r for r in rows if r["Name"] == "upload"]
    pages = [r for r in rows if r["Name"] in PAGES]
    page_p99 = max((_ms(r, "99%") for r in pages), default=float("nan"))
    upload_p99 = _ms(uploads[0], "99%") if uploads else float("nan")
    errors, fives = int(total["Failure Count"]), counters.get("5xx", 0)
    peak = max(samples, default=float("nan"))
    print(f"requests/s {rps:.1f}; failures {errors}; 5xx {fives} (whole run); "
          f"connection errors {counters.get('connection_errors', 0)}")  # fmt: skip
    print(
        f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{' '.join(f'{x:.2f}' for x in load_after)}, peak 1-min {peak:.2f} "
        f"({os.cpu_count()} CPUs); locust's own CPU {generator_cpu:.0f} s over {wall:.0f} s"
    )
    goal = (
        f"goal ({GOAL_RPS:.0f} req/s, p99 pages < {GOAL_PAGE_P99_MS:.0f} ms, uploads < "
        f"{GOAL_UPLOAD_P99_MS / 1000:.0f} s, no 5xx): "
        f"req/s {'met' if rps >= GOAL_RPS else 'MISSED'}, "
        f"pages p99 {page_p99:.0f} ms {'met' if page_p99 < GOAL_PAGE_P99_MS else 'MISSED'}, "
        f"uploads p99 {upload_p99:.0f} ms "
        f"{'met' if upload_p99 < GOAL_UPLOAD_P99_MS else 'MISSED'}, "
        f"5xx {'none' if fives == 0 else fives}"
    )
    print(goal)
    accepted = counters.get("uploads_accepted", 0)
    readings, photo_rows, files, failed = _count_stored(work)
    same = readings == accepted and photo_rows == files == 2 * accepted and failed == 0
    print(
        f"uploads sent {counters.get('uploads_sent', 0)}, accepted {accepted}, refused "
        f"{counters.get('uploads_refused', 0)}; stored: readings {readings}, photos "
        f"{photo_rows}, photo files {files} (2 per upload), not for review {failed} "
        f"-> {'PASS' if same else 'FAIL'}"
    )
    if counters.get("citizens_exhausted"):
        print(f"note: the {args.citizens or 'seeded'} citizens ran out; use --citizens")


if __name__ == "__main__":
    main()
