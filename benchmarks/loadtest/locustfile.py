"""Deadline-day traffic (issue #12): citizens sign in, open their dashboard and vehicle pages,
and upload their annual reading with two phone-sized photos; one request in twenty is an upload.

Run by `python -m benchmarks.deadline_day` (which seeds the citizens and starts the server);
by hand: `locust -f benchmarks/loadtest/locustfile.py --host http://127.0.0.1:8201` with

    LOADTEST_CITIZENS  file of "username vehicle_id" lines (each citizen signs in once)
    LOADTEST_PASSWORD  their password
    LOADTEST_PHOTOS    directory with plate.jpg and dashboard.jpg (benchmarks/loadtest/photos.py)
    LOADTEST_DAY       today in Seoul, "YYYY:MM:DD" (the photos' capture date)
    LOADTEST_RESULT    where to write the counters (JSON) when locust stops

A simulated user plays one citizen's visit of 20 requests, then the next citizen's:
GET /login/, POST /login/, the dashboard, 12 page views (dashboard, /eco/, the vehicle page)
with the upload at a random place among them (the vehicle page for the form's token, the POST,
then the vehicle page that tells whether it was accepted), and signing out (a page, POST
/logout/). Each request is one locust task, so a stop lets the request in flight
finish (`--stop-timeout`). The server runs as in production behind its TLS proxy
(BEHIND_TLS_PROXY=1): requests carry `X-Forwarded-Proto: https` and an `Origin`, and the
client keeps the (Secure) cookies itself, as a browser talking HTTPS would.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from benchmarks.loadtest.photos import NAMES, stamped

PAGES_PER_VISIT = 12  # + 2 to sign in, the dashboard, 3 for the upload, 2 to sign out = 20
ACCEPTED_TEXT = "주행거리가 접수되었습니다"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_MESSAGE = re.compile(r'<li class="message ([^"]*)">([^<]*)</li>')

_citizens: list[tuple[str, int]] = []
_next_citizen = itertools.count()
_next_photo = itertools.count()
_photos: list[bytes] = []
counters: Counter[str] = Counter()
_lock = threading.Lock()


def _load() -> None:
    if _citizens:
        return
    for line in Path(os.environ["LOADTEST_CITIZENS"]).read_text().splitlines():
        name, vehicle = line.split()
        _citizens.append((name, int(vehicle)))
    folder = Path(os.environ["LOADTEST_PHOTOS"])
    _photos.extend((folder / name).read_bytes() for name in NAMES)


def capture_time(n: int) -> str:
    """The n-th distinct capture time of the day (one second apart; 86,400 a day)."""
    day = os.environ["LOADTEST_DAY"]
    if n >= 86_400:
        raise StopUser()
    return f"{day} {n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}"


def _multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, content in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        parts.append(content)
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@events.request.add_listener
def _count_status(response: Any = None, exception: Any = None, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        counters["5xx"] += 1
    if exception is not None and status == 0:
        counters["connection_errors"] += 1


@events.quitting.add_listener
def _write_result(environment: Any, **_: Any) -> None:
    target = os.environ.get("LOADTEST_RESULT")
    if target:
        Path(target).write_text(json.dumps(dict(counters), indent=1))


class Citizen(FastHttpUser):
    """One citizen's deadline-day visit after another (a new citizen each time)."""

    wait_time = between(0.5, 1.5)  # reading the page before the next click
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self) -> None:
        _load()
        self.origin = self.host.replace("http://", "https://", 1)
        self.plan: list[str] = []
        self.cookies: dict[str, str] = {}

    # -- one request per task ------------------------------------------------------------
    @task
    def step(self) -> None:
        if not self.plan:
            self._new_visit()
        kind = self.plan.pop(0)
        getattr(self, f"_{kind}")()

    def _new_visit(self) -> None:
        with _lock:
            n = next(_next_citizen)
        if n >= len(_citizens):
            counters["citizens_exhausted"] += 1
            raise StopUser()
        self.username, self.vehicle = _citizens[n]
        self.cookies = {}
        pages = [random.choice(("dashboard", "eco", "vehicle")) for _ in range(PAGES_PER_VISIT)]
        pages.insert(random.randrange(PAGES_PER_VISIT + 1), "upload")
        # the login lands on the dashboard; the upload is 3 requests (its page, the POST, the
        # page that shows the result) and signing out 2 (a page for the token, the POST)
        self.plan = ["login_page", "login", "dashboard", *pages, "logout"]

    # -- HTTP with the cookies a browser keeps on an HTTPS site ---------------------------
    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "Referer": f"{self.origin}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**headers, **(extra or {})}

    def _keep_cookies(self, response: Any) -> None:
        raw = response.headers.get_all("set-cookie") if response.headers else []
        for header in raw or []:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            expired = "max-age=0" in attributes.lower() or value in ('""', "")
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def _request(self, method: str, path: str, name: str, expect: int, **kwargs: Any) -> Any:
        headers = self._headers(kwargs.pop("headers", None))
        with self.client.request(
            method, path, name=name, headers=headers, allow_redirects=False,
            catch_response=True, **kwargs,
        ) as response:  # fmt: skip
            self._keep_cookies(response)
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
            return response

    def _get(self, path: str, name: str) -> Any:
        return self._request("GET", path, name, 200)

    def _post(self, path: str, name: str, expect: int = 302, **kwargs: Any) -> Any:
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        headers.update(kwargs.pop("headers", None) or {})
        return self._request("POST", path, name, expect, headers=headers, **kwargs)

    def _token(self, response: Any) -> str:
        found = _CSRF.search(response.text or "")
        return found.group(1) if found else ""

    # -- the kinds of request -------------------------------------------------------------
    def _login_page(self) -> None:
        self.token = self._token(self._get("/login/", "login_page"))

    def _login(self) -> None:
        body = f"csrfmiddlewaretoken={self.token}&username={self.username}&password={os.environ['LOADTEST_PASSWORD']}&next="
        response = self._post(
            "/login/", "login", data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        if response.status_code != 302 or "sessionid" not in self.cookies:
            counters["login_failed"] += 1
            self.plan = []  # this citizen's visit ends here

    def _dashboard(self) -> None:
        self._get("/dashboard/", "dashboard")

    def _eco(self) -> None:
        self._get("/eco/", "eco")

    def _vehicle(self) -> None:
        self._get(f"/eco/vehicles/{self.vehicle}/", "vehicle")

    def _upload(self) -> None:
        page = self._get(f"/eco/vehicles/{self.vehicle}/", "vehicle")
        with _lock:
            n = next(_next_photo)
        files = {
            "plate_photo": stamped(_photos[0], capture_time(2 * n)),
            "dashboard_photo": stamped(_photos[1], capture_time(2 * n + 1)),
        }
        fields = {
            "csrfmiddlewaretoken": self._token(page),
            "event": "annual",
            "km": str(110_000 + random.randrange(5_000)),
        }
        body, content_type = _multipart(fields, files)
        path = f"/eco/vehicles/{self.vehicle}/readings/"
        headers = self._headers(
            {"Origin": self.origin, "Referer": f"{self.origin}{path}", "Content-Type": content_type}
        )
        counters["uploads_sent"] += 1
        with self.client.request(
            "POST", path, name="upload", data=body, headers=headers, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            self._keep_cookies(response)
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}, expected 302")
                return
            after = self._get(f"/eco/vehicles/{self.vehicle}/", "vehicle")
            shown = _MESSAGE.findall(after.text or "")
            if any(ACCEPTED_TEXT in text for _, text in shown):
                counters["uploads_accepted"] += 1
                response.success()
            else:
                counters["uploads_refused"] += 1
                reason = next((text for kind, text in shown if "error" in kind), "no message")
                response.failure(f"refused: {reason.strip()}")

    def _logout(self) -> None:
        page = self._get("/dashboard/", "dashboard")
        self._post("/logout/", "logout", data=f"csrfmiddlewaretoken={self._token(page)}",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
