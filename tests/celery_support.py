"""Celery in tests: the project's tasks bound to another broker for a while, a closed port, and
real worker processes (`celery -A mileage.site worker`) on the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def celery_app(**overrides: Any) -> Iterator[Celery]:
    """The shared tasks (`evaluate_run.delay`, ...) go through a Celery app made with these
    settings (e.g. a broker URL) until the block ends; then the project's app is current again."""
    from mileage.site.celery import app, make_app

    temporary = make_app(**overrides)
    temporary.set_current()
    try:
        yield temporary
    finally:
        app.set_current()
        temporary.close()


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def flush_broker(url: str) -> None:
    """Empty the test broker's Redis database (queued and unacknowledged messages)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def start_worker(
    broker: str, *, concurrency: int = 2, name: str = "w1", visibility_timeout: int = 600
) -> subprocess.Popen:
    """A real worker process group (`celery worker`, prefork pool) on the test database; its
    own session, so `kill_worker` can SIGKILL the main process and its pool processes at once."""
    env = {
        **os.environ,
        "MILEAGE_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "mileage.site.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    log = tempfile.NamedTemporaryFile(prefix=f"celery-{name}-", suffix=".log", delete=False)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mileage.site",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    worker.log_path = log.name  # type: ignore[attr-defined]  # named in failure messages
    return worker


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes (as a lost machine would)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def stop_worker(worker: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_worker(worker)


def wait_for(condition: Any, what: str, *, seconds: float = 180, worker: Any = None) -> None:
    """Poll `condition()` until true; fail (not a timing assertion: a guard against a hang)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if worker is not None:
            assert worker.poll() is None, (
                f"the worker exited waiting for {what} ({worker.log_path})"
            )
        assert time.monotonic() < deadline, (
            f"gave up waiting for {what} ({getattr(worker, 'log_path', '')})"
        )
        time.sleep(0.2)
