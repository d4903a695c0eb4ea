"""Citizens read Korean, not code (issue #15): walk every page a demo citizen can reach from the
dashboard and fail on an ISO date, an English code or status, or a clause code outside the
expandable "근거" detail, in the text the browser shows."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from mileage.accounts.models import Role, User
from mileage.pilot.models import Enrolment
from mileage.walking.models import AppLink

pytestmark = pytest.mark.django_db

CLAUSE = re.compile(r"\b(?:ECO|PILOT|WALK|LEDGER|STEP|[CER])-\d+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# snake_case or dotted codes (vehicle.already_enrolled, plate_unreadable, reading.submit)
CODE = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")
ENGLISH = re.compile(
    r"\b(?:approved|submitted|rejected|pending|awarded|evaluated|signed-off|void|voided|"
    r"maintenance|regular|prorated|online|walk-in|initial|annual|season-start|season-end|"
    r"final|sms|email|None|True|False|null)\b"
)
VEHICLE_PAGE = re.compile(r"/eco/vehicles/\d+/")
URL = re.compile(r"https?://\S+")
# a walking app link code (`walking.models.links.new_link_token`: "wl_" + random URL-safe text) is an
# opaque code the citizen copies into the app, shown on purpose; its random part can look like an
# identifier ("wl_v-6au…" matched CODE), so it is taken out like a URL
LINK_TOKEN = re.compile(r"\bwl_[A-Za-z0-9_-]+")
ENGLISH_PHRASE = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")  # engine text left in English
SKIP = ("/logout/", "/api/", "/admin/", "/static/", "/media/", "/dev/", "/i18n/")
MAX_PAGES = 120


class VisibleText(HTMLParser):
    """The text a reader sees: no script/style, no attributes; text inside a <details> whose
    <summary> says 근거 is kept apart (clause codes are allowed there)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.basis: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._details: list[list[str]] = []  # text of each open <details>, summary first

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "details":
            self._details.append([])
        elif tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        elif tag == "details" and self._details:
            text = self._details.pop()
            target = self.basis if text and "근거" in text[0] else self.shown
            target.extend(text)

    def handle_data(self, data: str) -> None:
        if self._skip or not data.strip():
            return
        if self._details:
            self._details[-1].append(data)
        else:
            self.shown.append(data)


def _citizens() -> list[User]:
    """Demo citizens who between them have every kind of page: eco-car vehicles and results,
    a pilot enrolment, a walking app link, and one who has nothing yet."""
    chosen = list(User.objects.filter(username__in=["citizen-001", "citizen-002"]))
    pilot = Enrolment.objects.select_related("member").order_by("pk").first()
    walker = AppLink.objects.select_related("member").order_by("pk").first()
    for extra in (pilot and pilot.member, walker and walker.member):
        if extra is not None and extra not in chosen:
            chosen.append(extra)
    chosen.append(
        User.objects.filter(role=Role.CITIZEN, vehicles__isnull=True).order_by("pk").first()
    )
    return [user for user in chosen if user is not None]


def _walk(user: User) -> dict[str, list[str]]:
    client = Client()
    client.force_login(user)
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    todo = deque(["/dashboard/", "/wallet/", "/wallet/use/", "/account/"])
    while todo and len(seen) < MAX_PAGES:
        path = todo.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        text = LINK_TOKEN.sub(" ", URL.sub(" ", " ".join(" ".join(parser.shown).split())))
        found = [
            f"{name}: {match.group(0)!r} in …{text[max(0, match.start() - 30) : match.end() + 30]}…"
            for name, pattern in (
                ("ISO date", ISO_DATE),
                ("clause code outside 근거", CLAUSE),
                ("code", CODE),
                ("English", ENGLISH),
                ("English phrase", ENGLISH_PHRASE),
            )
            for match in pattern.finditer(text)
        ]
        basis = " ".join(parser.basis)
        found += [f"ISO date in 근거: {m.group(0)}" for m in ISO_DATE.finditer(basis)]
        if found:
            problems[path] = found
        for href in parser.links:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(SKIP) or href in seen:
                continue
            todo.append(href)
            if VEHICLE_PAGE.fullmatch(href):
                todo.append(f"{href}?km=9000")  # the calculator's answer, too
    assert len(seen) > 5, f"{user.username}: only {sorted(seen)}"
    return problems


def test_every_page_a_citizen_reaches_is_in_korean() -> None:
    call_command("demo_data", stdout=StringIO())
    report = {}
    for user in _citizens():
        for path, found in _walk(user).items():
            report[f"{user.username} {path}"] = sorted(set(found))[:12]
    assert report == {}, "\n".join(
        f"{page}\n  " + "\n  ".join(found) for page, found in report.items()
    )


def test_the_walker_finds_what_it_must_refuse() -> None:
    """The checks themselves: each pattern catches what it is for, and 근거 keeps clause codes."""
    parser = VisibleText()
    parser.feed(
        "<p>지급일 2027-01-20 · status approved · vehicle.already_enrolled</p>"
        "<details><summary>평가 근거 보기</summary><li>ECO-9</li></details><p>PILOT-3</p>"
        "<script>var x = '2027-01-20';</script>"
    )
    shown = " ".join(parser.shown)
    assert ISO_DATE.findall(shown) == ["2027-01-20"]
    assert ENGLISH.findall(shown) == ["approved"]
    assert CODE.findall(shown) == ["vehicle.already_enrolled"]
    assert CLAUSE.findall(shown) == ["PILOT-3"] and CLAUSE.findall(" ".join(parser.basis)) == [
        "ECO-9"
    ]
