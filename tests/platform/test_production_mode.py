"""Fail closed (issue #13 finding 4): production is the default and refuses to start unsafely.

Each test runs `manage.py` in a subprocess with an operator's environment (no test settings).
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from subprocess import PIPE, Popen

import pytest

from tests.platform.prodenv import ROOT, environment, free_port, manage, production


def test_without_secret_key_production_refuses_to_start_with_a_clear_message(
    tmp_path: Path,
) -> None:
    done = manage(environment(tmp_path), "check")
    assert done.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in done.stderr
    assert "MILEAGE_ENV=development" in done.stderr  # says how to develop locally


def test_without_bank_account_key_production_refuses_to_start(tmp_path: Path) -> None:
    env = production(tmp_path)
    del env["BANK_ACCOUNT_KEY"]
    done = manage(env, "check")
    assert done.returncode != 0
    assert "ImproperlyConfigured: BANK_ACCOUNT_KEY is not set" in done.stderr


@pytest.mark.parametrize(
    ("name", "public_value"),
    [
        ("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production"),
        ("BANK_ACCOUNT_KEY", "ZGV2LW9ubHktYmFuay1rZXktZG8tbm90LXVzZS0xMjM="),
    ],
)
def test_the_once_public_development_keys_are_refused_in_production(
    tmp_path: Path, name: str, public_value: str
) -> None:
    done = manage(production(tmp_path, **{name: public_value}), "check")
    assert done.returncode != 0
    assert f"{name} is not set" in done.stderr


def test_debug_cannot_be_switched_on_in_production(tmp_path: Path) -> None:
    done = manage(production(tmp_path, DEBUG="1"), "check")
    assert done.returncode != 0
    assert "DEBUG=1 is only allowed with MILEAGE_ENV=development" in done.stderr


def test_a_complete_production_environment_passes_the_deployment_checks(tmp_path: Path) -> None:
    done = manage(production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    shown = manage(
        production(tmp_path),
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, "
        "s.SECURE_PROXY_SSL_HEADER)",
    )
    assert shown.stdout.split("\n")[0] == (
        "False True 31536000 True True ['127.0.0.1', 'localhost'] None"
    )


def test_development_mode_runs_without_keys_and_without_debug_unless_asked(
    tmp_path: Path,
) -> None:
    code = "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"
    dev = environment(tmp_path, MILEAGE_ENV="development")
    assert manage(dev, "shell", "--no-imports", "-c", code).stdout.strip() == "False False"
    dev["DEBUG"] = "1"
    assert manage(dev, "shell", "--no-imports", "-c", code).stdout.strip() == "True False"
    # Its keys are random, made once per installation and kept (sessions survive a restart).
    keys = "from django.conf import settings as s; print(s.SECRET_KEY, s.BANK_ACCOUNT_KEY)"
    first = manage(
        environment(tmp_path, MILEAGE_ENV="development"), "shell", "--no-imports", "-c", keys
    )
    again = manage(
        environment(tmp_path, MILEAGE_ENV="development"), "shell", "--no-imports", "-c", keys
    )
    elsewhere = manage(
        environment(tmp_path / "b", MILEAGE_ENV="development"), "shell", "--no-imports", "-c", keys
    )
    assert first.stdout == again.stdout != elsewhere.stdout
    assert "dev-only-insecure-key" not in first.stdout
    assert oct((tmp_path / "development-secret-key").stat().st_mode)[-3:] == "600"


def test_demo_data_refuses_to_run_in_production(tmp_path: Path) -> None:
    env = production(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    done = manage(env, "demo_data")
    assert done.returncode != 0
    assert "개발 모드(MILEAGE_ENV=development)에서만" in done.stderr
    count = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from mileage.accounts.models import User; print(User.objects.count())",
    )
    assert count.stdout.strip() == "0"


def test_development_server_shows_korean_error_pages_not_the_url_patterns(
    tmp_path: Path,
) -> None:
    """`make run` (development mode, no DEBUG asked): an unknown address is a Korean 404."""
    env = environment(tmp_path, MILEAGE_ENV="development")
    assert manage(env, "migrate", "--noinput").returncode == 0
    port = free_port()
    server = Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=PIPE,
        stderr=PIPE,
    )
    try:
        body, status = _get(f"http://127.0.0.1:{port}/nope-zz", wait=60)
        assert status == 404
        assert "페이지를 찾을 수 없습니다" in body
        assert "urlpatterns" not in body and "URLconf" not in body and "admin/" not in body
        css, status = _get(f"http://127.0.0.1:{port}/static/web/site.css")
        assert status == 200 and "{" in css  # static files still served without DEBUG
    finally:
        server.terminate()
        server.wait(10)


def _get(url: str, wait: float = 0) -> tuple[str, int]:
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode(), response.status
        except urllib.error.HTTPError as exc:
            return exc.read().decode(), exc.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
