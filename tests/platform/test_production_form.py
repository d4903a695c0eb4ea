"""The production form (issue #12): `make serve`, `make worker` and `make beat` as an operator
runs them, each a real process with production settings from the environment."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.platform.prodenv import ROOT, free_port, manage, production


def _make(target: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # make, gunicorn and its workers in one group: stopped together
    )


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    return process.stdout.read() if process.stdout else ""


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped:\n{_stop(process)}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url}:\n{_stop(process)}")


def test_make_serve_runs_gunicorn_with_production_settings_and_whitenoise(tmp_path: Path) -> None:
    port = free_port()
    env = production(tmp_path, PORT=str(port), BEHIND_TLS_PROXY="1", WEB_CONCURRENCY="2")
    assert manage(env, "migrate", "--noinput").returncode == 0
    server = _make("serve", env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", server)
        https = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front adds

        status, headers, _ = _get(base + "/login/")  # plain HTTP: sent to HTTPS
        assert status == 301 and headers["Location"] == f"https://127.0.0.1:{port}/login/"

        status, headers, body = _get(base + "/", https)
        page = body.decode()
        assert status == 200 and "서울" in page
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

        css = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page links the hashed stylesheet (collectstatic + manifest)"
        status, headers, body = _get(base + css.group(1), https)
        assert status == 200 and b"{" in body
        assert "max-age=315360000" in headers["Cache-Control"]  # whitenoise, immutable file

        status, _, body = _get(base + "/nope-zz", https)
        missing = body.decode()
        assert status == 404 and "페이지를 찾을 수 없습니다" in missing
        assert "urlpatterns" not in missing and "URLconf" not in missing

        status, _, _ = _get(base + "/", {**https, "Host": "evil.example"})
        assert status == 400  # ALLOWED_HOSTS, no wildcard
    finally:
        log = _stop(server)
    assert "Booting worker" in log and "DEBUG" not in log


def test_make_worker_runs_tasks_from_the_broker(tmp_path: Path) -> None:
    broker = os.environ.get("CELERY_TEST_BROKER_URL")
    if not broker:
        pytest.skip("CELERY_TEST_BROKER_URL is not set (CI's PostgreSQL pass sets it)")
    env = production(tmp_path, CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker)
    env["WORKER_ARGS"] = "--pool solo --queues prod-form-test -n prod-form-test@%h"
    worker = _make("worker", env)
    try:
        from mileage.site.celery import make_app

        client = make_app(broker_url=broker, result_backend=broker, task_always_eager=False)
        # celery.accumulate: a task every Celery worker has; it returns its arguments.
        result = client.send_task("celery.accumulate", args=(42,), queue="prod-form-test")
        assert result.get(timeout=120) == [42]
    finally:
        log = _stop(worker)
    assert "prod-form-test" in log


def test_make_worker_and_beat_refuse_to_start_without_a_broker(tmp_path: Path) -> None:
    for target in ("worker", "beat"):
        done = subprocess.run(
            ["make", "--no-print-directory", target],
            cwd=ROOT,
            env=production(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode != 0
        assert "set CELERY_BROKER_URL" in done.stderr


def test_make_beat_keeps_the_daily_jobs_in_the_database(tmp_path: Path) -> None:
    env = production(tmp_path, CELERY_BROKER_URL="memory://")
    assert manage(env, "migrate", "--noinput").returncode == 0
    env["BEAT_ARGS"] = f"--pidfile {tmp_path / 'beat.pid'}"
    beat = _make("beat", env)
    names = ""
    expected = ("walking.accrue_day", "mileage.ledger.tasks.daily_expiry")
    try:
        deadline = time.monotonic() + 180
        # the scheduler saves its entries one by one: wait until both have been written
        while time.monotonic() < deadline and not all(task in names for task in expected):
            time.sleep(2)
            assert beat.poll() is None, _stop(beat)
            names = manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from django_celery_beat.models import PeriodicTask as P; "
                "print(sorted(P.objects.values_list('task', flat=True)))",
            ).stdout
    finally:
        log = _stop(beat)
    assert "DatabaseScheduler" in log
    for task in expected:
        assert task in names
