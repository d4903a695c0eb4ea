"""Run the project's commands as an operator would: a subprocess with a chosen environment."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
# What the test process has that an operator's shell would not.
_DROP = (
    "MILEAGE_ENV",
    "SECRET_KEY",
    "BANK_ACCOUNT_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "BEHIND_TLS_PROXY",
    "PHOTO_STORAGE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest
    "DATABASE_URL",  # each test's processes get their own SQLite file under var_dir
    "CELERY_BROKER_URL",
)


def environment(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP and not k.startswith("PYTEST")}
    env["DJANGO_SETTINGS_MODULE"] = "mileage.site.settings"
    env["MILEAGE_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def production(var_dir: Path, **extra: str) -> dict[str, str]:
    """A complete production environment: fresh random secrets, nothing else asked for."""
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BANK_ACCOUNT_KEY": Fernet.generate_key().decode(),
    }
    return environment(var_dir, **{**keys, **extra})


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
