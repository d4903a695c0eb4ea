"""내 정보 내려받기 (a ZIP of the member's own rows only) and 회원 탈퇴 (balance shown and
confirmed, identity erased, ledger kept and balanced, photos erased after the retention)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mileage.accounts.models import User
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Posting
from mileage.members.models import Closure, Consent
from mileage.members.services.purge import purge_closed_accounts
from mileage.readings.models import Photo
from mileage.vehicles.services import register_vehicle
from tests import factories
from tests.readings.support import submit

from .support import sign_up

pytestmark = pytest.mark.django_db

HEADER = (
    "plate,owner_key,owner_name,owner_ci,kind,seats,use,fuel,first_registered_on,district_code,"
    "co_owner_keys,co_owner_names"
)


def _award(user: Any, amount: int, key: str) -> None:
    budget = ledger.account("budget", programme="eco-car")
    ledger.transfer(
        key, budget, ledger.account("wallet", user=user), amount, kind="award", memo="정기 마일리지"
    )


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A joined new resident with a car, a reading with photos and mileage; a Mapo citizen with
    their own car, reading and mileage (whose rows must never show in the other's download)."""
    client = Client()
    sign_up(client)
    member = User.objects.get(username="saebom")
    other = factories.mapo_citizen()
    today = timezone.localdate()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "registry-ci.csv"
    path.write_text(
        f"{HEADER}\n57누1203,,박새봄,{member.ci},passenger,5,private,gasoline,2019-06-14,11440,,\n"
        "12가3456,mapo-citizen,김마포,,passenger,5,private,gasoline,2018-05-02,11440,,\n",
        encoding="utf-8",
    )
    settings.VEHICLE_REGISTRY_PATH = str(path)
    mine = register_vehicle(member, "57누1203")
    theirs = register_vehicle(other, "12가3456")
    submit(mine, "initial", 41000, today, seed=11)
    submit(theirs, "initial", 52000, today, seed=21)
    _award(member, 53117, "test:member")
    _award(other, 70000, "test:other")
    return {"client": client, "member": member, "other": other}


def _zip(client: Client) -> zipfile.ZipFile:
    response = client.post("/account/data/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_my_data_zip_holds_json_csv_and_photos_of_the_member_only(world) -> None:  # type: ignore[no-untyped-def]
    archive = _zip(world["client"])
    names = set(archive.namelist())
    assert {
        "data.json",
        "profile.json",
        "consents.csv",
        "vehicles.csv",
        "readings.csv",
        "evaluations.csv",
        "ledger.csv",
    } <= names
    photos = sorted(n for n in names if n.startswith("photos/"))
    assert len(photos) == 2 and all(archive.read(n)[:2] == b"\xff\xd8" for n in photos)
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["name"] == "박새봄" and "ci" not in data["profile"]
    assert [v["plate"] for v in data["vehicles"]] == ["57누1203"]
    assert [r["km"] for r in data["readings"]] == [41000]
    assert [p["amount"] for p in data["ledger"]] == [53117]
    assert {c["item"] for c in data["consents"]} == {"terms", "personal_info"}
    text = archive.read("readings.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["plate"] for r in rows] == ["57누1203"]
    everything = b"".join(archive.read(n) for n in names if not n.startswith("photos/"))
    for foreign in ("12가3456", "김마포", "52000", "70000", "mapo-citizen"):
        assert foreign.encode() not in everything


def test_close_shows_the_balance_then_needs_confirmation_and_password(world) -> None:  # type: ignore[no-untyped-def]
    client, member = world["client"], world["member"]
    html = client.get("/account/close/").content.decode()
    assert "53,117 마일리지" in html
    response = client.post(
        "/account/close/", {"balance": "53117", "password": "봄날의-자전거-2026"}
    )
    assert response.status_code == 400 and 'id="confirm-error"' in response.content.decode()
    response = client.post(
        "/account/close/", {"balance": "53117", "confirm": "on", "password": "wrong"}
    )
    assert (
        response.status_code == 400 and "비밀번호가 올바르지 않습니다" in response.content.decode()
    )
    member.refresh_from_db()
    assert member.is_active and not Closure.objects.exists()


def test_close_refuses_when_the_balance_changed_since_it_was_shown(world) -> None:  # type: ignore[no-untyped-def]
    client, member = world["client"], world["member"]
    _award(member, 1000, "test:member:more")
    response = client.post(
        "/account/close/", {"balance": "53117", "confirm": "on", "password": "봄날의-자전거-2026"}
    )
    assert response.status_code == 409 and "54,117 마일리지" in response.content.decode()
    assert not Closure.objects.exists()


def test_close_erases_identity_keeps_the_books_and_frees_the_ci(world) -> None:  # type: ignore[no-untyped-def]
    client, member = world["client"], world["member"]
    postings_before = Posting.objects.count()
    wallet = ledger.account("wallet", user=member)
    response = client.post(
        "/account/close/", {"balance": "53117", "confirm": "on", "password": "봄날의-자전거-2026"}
    )
    assert response.status_code == 302 and response.url == "/"
    member.refresh_from_db()
    assert not member.is_active and not member.has_usable_password()
    assert member.username.startswith("closed-") and member.display_name == "탈퇴 회원"
    assert (member.phone, member.birth_date, member.ci) == ("", None, None)
    assert not Consent.objects.filter(user=member, withdrawn_at=None).exists()
    closure = Closure.objects.get(user=member)
    assert closure.balance_forfeited == 53117
    # Books never change: every earlier posting is still there, plus one forfeiture.
    assert Posting.objects.count() == postings_before + 2
    assert ledger.balance(wallet) == 0
    assert ledger.balance(ledger.account("wallet", user=world["other"])) == 70000
    assert_books_balance()
    assert client.get("/account/").status_code == 302  # signed out
    # The same person may join again later (the CI is no longer taken).
    assert sign_up(Client(), username="saebom2").status_code == 302


def test_photos_are_erased_after_the_retention_and_others_kept(world, settings) -> None:  # type: ignore[no-untyped-def]
    client, member = world["client"], world["member"]
    client.post(
        "/account/close/", {"balance": "53117", "confirm": "on", "password": "봄날의-자전거-2026"}
    )
    closure = Closure.objects.get(user=member)
    assert purge_closed_accounts(timezone.localdate()) == 0  # not yet
    assert purge_closed_accounts(closure.photos_erase_on) == 2
    assert Photo.objects.filter(file="").count() == 2
    assert Photo.objects.exclude(file="").count() == 2  # the other citizen's photos stay
    assert purge_closed_accounts(closure.photos_erase_on + dt.timedelta(days=1)) == 0


def test_officials_cannot_close_their_account_here() -> None:
    official = factories.mapo_official(password=factories.PASSWORD)
    client = Client()
    client.force_login(official)
    response = client.post(
        "/account/close/", {"balance": "0", "confirm": "on", "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    official.refresh_from_db()
    assert official.is_active
