#!/usr/bin/env python3
"""Fuzz the live OpenAPI schema as every role with schemathesis; fail on any 5xx (issue #13).

    .venv/bin/python scripts/fuzz_api.py                 # SQLite in a fresh temporary directory
    DATABASE_URL=postgresql://... scripts/fuzz_api.py    # or a fresh PostgreSQL database
    scripts/fuzz_api.py --max-examples 5 --budget 240    # smaller / larger run

1. A fresh development site: `migrate` and `demo_data` in a temporary MILEAGE_VAR_DIR; the
   demo partner keys are read from demo_data's output (printed once, random per installation).
2. Sessions for a citizen, a district official and the city manager are made directly in the
   session store (no login form, so the login throttle is not involved), each with a CSRF token
   sent as cookie and header, as a browser's script would.
3. `manage.py runserver --noreload` on a free port, then `schemathesis run` of
   /api/v1/openapi.json once per role: anonymous, citizen, official, city manager and each demo
   key, with the check `not_a_server_error` only (4xx answers are the API refusing input, which
   is right), bounded by --max-examples per operation and a time budget per role; one worker
   (schemathesis' threads hit a CPython 3.11 `ast` race in hypothesis).
Exit status 1 when any role saw a 5xx (schemathesis prints the reproducing curl command).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = {"citizen": "citizen-001", "official": "official-11440-office", "city": "city-manager"}
SESSION_SNIPPET = """
import time
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from mileage.accounts.models import User
for name in {names!r}:
    user = User.objects.get(username=name)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["_auth_at"] = store["_seen_at"] = int(time.time())
    store.create()
    print("SESSION", name, store.session_key)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def demo_keys(output: str) -> dict[str, str]:
    """{partner slug: token} from demo_data's output."""
    return dict(re.findall(r"partner-(\S+)\s.*X-API-Key: (mk_\S+)", output))


def sessions(env: dict[str, str]) -> dict[str, str]:
    snippet = SESSION_SNIPPET.format(names=list(PEOPLE.values()))
    output = manage(env, "shell", "-c", snippet, capture=True)
    keys = dict(re.findall(r"^SESSION (\S+) (\S+)$", output, re.M))
    return {role: keys[name] for role, name in PEOPLE.items()}


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"fuzz_api: the test server did not answer {url}")


def role_headers(session_keys: dict[str, str], keys: dict[str, str]) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {"anonymous": []}
    for role, session in session_keys.items():
        csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        roles[role] = [f"Cookie: sessionid={session}; csrftoken={csrf}", f"X-CSRFToken: {csrf}"]
    for slug, token in sorted(keys.items()):
        roles[f"key-{slug}"] = [f"X-API-Key: {token}"]
    return roles


# The operations a partner's API key can reach; the others answer 401 to a key whatever the
# input, which the anonymous run already covers.
KEY_OPERATIONS = (
    r"^/api/v1/(me|partners/self|pilot/(enrolments.*|signed-readings|connected-readings)"
    r"|walking/(steps.*|coupons/redeem|campaigns))$"
)


def phases(role: str) -> str:
    """Signed-in people get every phase (the coverage phase, boundary and wrong-type values for
    each field and undeclared content types, is where server errors were found); a key the
    coverage and fuzzing phases over its few operations; anonymous callers, refused everywhere
    but the district list, the fuzzing phase only."""
    if role == "anonymous":
        return "fuzzing"
    if role.startswith("key-"):
        return "coverage,fuzzing"
    return "examples,coverage,fuzzing,stateful"


def fuzz(base: str, role: str, headers: list[str], args: argparse.Namespace, cwd: Path) -> bool:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--no-color",
        "run",
        f"{base}/api/v1/openapi.json",
        "--url",
        base,
        "--checks",
        "not_a_server_error",
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--request-timeout",
        "30",
        "--phases",
        phases(role),
        "--suppress-health-check",
        "all",
    ]
    if role.startswith("key-"):
        command += ["--include-path-regex", KEY_OPERATIONS]
    elif role != "anonymous":
        command += ["--exclude-path-regex", KEY_OPERATIONS]
    for header in headers:
        command += ["--header", header]
    print(f"\n=== fuzz_api: {role}", flush=True)
    try:
        # In the temporary directory: schemathesis keeps its example database in the cwd.
        done = subprocess.run(command, cwd=cwd, timeout=args.budget, check=False)
    except subprocess.TimeoutExpired:
        print(f"fuzz_api: {role}: time budget of {args.budget} s used up (no 5xx so far)")
        return True
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=5)
    parser.add_argument("--budget", type=int, default=120, help="seconds per role at most")
    parser.add_argument("--total-budget", type=int, default=900, help="seconds for all roles")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--roles", default="", help="comma-separated subset, e.g. citizen,city")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="mileage-fuzz-"))
    env = {
        **os.environ,
        "MILEAGE_ENV": "development",
        "MILEAGE_VAR_DIR": str(var_dir),
        "DEBUG": "",
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        keys = demo_keys(manage(env, "demo_data", capture=True))
        if not keys:
            raise SystemExit("fuzz_api: demo_data printed no API keys (not a fresh database?)")
        roles = role_headers(sessions(env), keys)
        if args.roles:
            wanted = set(args.roles.split(","))
            roles = {name: h for name, h in roles.items() if name in wanted}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var_dir / "server.log", "w"),
        )
        wait_for(f"{base}/api/v1/openapi.json")
        failed, started = [], time.monotonic()
        for role, headers in roles.items():
            if time.monotonic() - started > args.total_budget:
                print(f"fuzz_api: total budget of {args.total_budget} s used up before {role}")
                failed.append(f"{role} (not run: total budget)")
                continue
            if not fuzz(base, role, headers, args, var_dir):
                failed.append(role)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    if failed:
        print(f"\nfuzz_api: server errors (5xx) or no run as: {', '.join(failed)}")
        print(f"fuzz_api: server log: {var_dir / 'server.log'}")
        return 1
    print(f"\nfuzz_api: no 5xx as any of {len(roles)} roles")
    shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
