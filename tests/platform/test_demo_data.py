"""`manage.py demo_data`: a realistic world, and running it twice creates nothing twice."""

from __future__ import annotations

import hashlib
import hmac
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from demo import accounts as accounts_demo
from demo import partners as partners_demo
from demo.accounts import DEMO_PASSWORD, _people
from demo.partners import DEMO_PARTNERS
from mileage.accounts.models import District, Role, User
from mileage.partners.models import ApiKey, Partner
from tests import factories

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_demo_data_command_is_idempotent_across_every_app() -> None:
    """The whole command (every app's seed) twice: the second run creates nothing."""
    out = StringIO()
    call_command("demo_data", stdout=out)
    first = counts()
    again = StringIO()
    call_command("demo_data", stdout=again)
    assert counts() == first
    assert "0 people created" in again.getvalue() and "0 partners created" in again.getvalue()
    assert DEMO_PASSWORD in out.getvalue() and DEMO_PASSWORD in again.getvalue()
    assert first["accounts.User"] >= 300


@pytest.fixture
def platform_seed() -> str:
    """Only the platform's own seeds (accounts, partners): fast, for the checks below."""
    out = StringIO()
    accounts_demo.seed(out)
    partners_demo.seed(out)
    return out.getvalue()


def test_demo_world_has_districts_officials_city_partners_and_citizens(
    platform_seed: str,
) -> None:
    assert District.objects.count() == 25
    for d in District.objects.all():
        assert User.objects.filter(role=Role.OFFICIAL, district=d, community_centre="").exists()
    assert User.objects.filter(role=Role.OFFICIAL).exclude(community_centre="").count() >= 2
    seodaemun = User.objects.filter(role=Role.OFFICIAL, district__name_ko="서대문구")
    assert [u.community_centre for u in seodaemun] == [""]  # 서대문구: 구청 only
    city = set(User.objects.filter(role=Role.CITY).values_list("username", flat=True))
    assert city == {"city-manager", "city-manager-2"}  # two: four eyes on parameters (issue #14)
    citizens = User.objects.filter(role=Role.CITIZEN)
    assert citizens.count() == 300
    assert len(set(citizens.values_list("display_name", flat=True))) > 100
    names = set(Partner.objects.values_list("name", flat=True))
    assert {"한화손해보험", "현대하이카다이렉트", "MG손해보험"} <= names
    kinds = set(Partner.objects.values_list("kind", flat=True))
    assert kinds == {"insurer", "walking_app", "merchant", "sponsor", "carmaker"}
    for slug, _name, _kind in DEMO_PARTNERS:
        assert ApiKey.objects.filter(partner__slug=slug, revoked_at__isnull=True).count() == 1
    assert "X-API-Key: mk_" in platform_seed


def test_demo_citizens_are_deterministic(platform_seed: str) -> None:
    stored = dict(
        User.objects.filter(role=Role.CITIZEN, username__startswith="citizen-").values_list(
            "username", "display_name"
        )
    )
    regenerated = {p.username: p.display_name for p in _people("x") if p.role == Role.CITIZEN}
    assert stored == regenerated and len(stored) == 300


def test_demo_password_logs_in_and_printed_key_works(platform_seed: str) -> None:
    client = Client()
    response = client.post("/login/", {"username": "citizen-001", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["district"]["name_ko"] == "마포구"
    token = factories.printed_token(platform_seed, "hanwha")
    body = Client().get("/api/v1/me", headers={"X-API-Key": token}).json()
    assert body["partner"]["name"] == "한화손해보험"


def test_demo_keys_are_random_per_installation_and_printed_only_when_made(
    platform_seed: str,
) -> None:
    """Finding 4: demo API keys were HMAC(SECRET_KEY, slug), computable from the repository."""
    token = factories.printed_token(platform_seed, "hanwha")
    derived = hmac.new(settings.SECRET_KEY.encode(), b"demo-key:hanwha", hashlib.sha256)
    assert derived.hexdigest()[:8] not in token
    again = StringIO()
    partners_demo.seed(again)
    assert "mk_" not in again.getvalue()  # shown once, when made
    assert "partner-hanwha" in again.getvalue() and "이미 발급됨" in again.getvalue()
    # Another installation (the keys made afresh) gets other keys.
    ApiKey.objects.all().delete()
    fresh = StringIO()
    partners_demo.seed(fresh)
    assert factories.printed_token(fresh.getvalue(), "hanwha") != token
    tokens = [factories.printed_token(fresh.getvalue(), slug) for slug, _n, _k in DEMO_PARTNERS]
    assert len(set(tokens)) == len(DEMO_PARTNERS)


def test_demo_data_refuses_to_run_outside_development_mode(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEVELOPMENT = False
    before = counts()
    with pytest.raises(CommandError, match="개발 모드"):
        call_command("demo_data", stdout=StringIO())
    assert counts() == before
