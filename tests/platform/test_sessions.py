"""Sessions and login throttling for a public service (issue #13, "Sessions and transport").

Idle time and absolute lifetime per role (officials, city and partner staff shorter than
citizens), cookies that end with the browser, and a per-address login limit over all usernames.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = factories.PASSWORD


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def age_session(client: Client, *, idle: int = 0, since_login: int = 0) -> None:
    """Pretend the last request was `idle` seconds ago and the login `since_login` seconds ago."""
    session = client.session
    now = int(time.time())
    session["_seen_at"] = now - idle
    session["_auth_at"] = now - max(since_login, idle)
    session.save()


def still_signed_in(client: Client) -> bool:
    response = client.get("/dashboard/")
    return response.status_code == 200


def test_staff_sessions_are_shorter_than_citizens() -> None:
    idle, lifetime = settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT
    assert idle["staff"] < idle["citizen"] <= 30 * 60
    assert lifetime["staff"] < lifetime["citizen"] <= 12 * 3600


def test_a_citizen_idle_past_the_limit_is_signed_out_with_a_korean_message() -> None:
    client = signed_in(factories.mapo_citizen(password=PASSWORD))
    limit = settings.SESSION_IDLE_TIMEOUT["citizen"]
    age_session(client, idle=limit - 60)
    assert still_signed_in(client)
    age_session(client, idle=limit + 60)
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "오래 사용하지 않아 로그아웃되었습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("make", ["mapo_official", "city_manager", "partner_user"])
def test_officials_city_and_partner_staff_time_out_sooner(make: str) -> None:
    client = signed_in(getattr(factories, make)(password=PASSWORD))
    between = (
        settings.SESSION_IDLE_TIMEOUT["staff"] + settings.SESSION_IDLE_TIMEOUT["citizen"]
    ) // 2
    age_session(client, idle=between)
    assert not still_signed_in(client)


def test_an_active_session_still_ends_after_the_absolute_lifetime() -> None:
    citizen = signed_in(factories.mapo_citizen(password=PASSWORD))
    age_session(citizen, since_login=settings.SESSION_ABSOLUTE_TIMEOUT["citizen"] - 600)
    assert still_signed_in(citizen)
    age_session(citizen, since_login=settings.SESSION_ABSOLUTE_TIMEOUT["citizen"] + 60)
    assert not still_signed_in(citizen)
    official = signed_in(factories.mapo_official(password=PASSWORD))
    age_session(official, since_login=settings.SESSION_ABSOLUTE_TIMEOUT["staff"] + 60)
    assert not still_signed_in(official)


def test_the_api_answers_401_after_a_timeout() -> None:
    client = signed_in(factories.mapo_citizen(password=PASSWORD))
    assert client.get("/api/v1/me").status_code == 200
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT["citizen"] + 60)
    assert client.get("/api/v1/me").status_code == 401


def test_the_session_cookie_ends_with_the_browser() -> None:
    client = Client()
    factories.mapo_citizen(password=PASSWORD)
    response = client.post("/login/", {"username": "mapo-citizen", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def _fail(client: Client, username: str) -> int:
    return client.post("/login/", {"username": username, "password": "wrong"}).status_code


def test_one_address_trying_many_usernames_is_locked_out() -> None:
    """Credential stuffing: each username is tried once, the address still gets locked."""
    citizen = factories.mapo_citizen(password=PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        assert _fail(attacker, f"leaked-{n:03d}") == 200
    assert _fail(attacker, "leaked-last") == 429  # the limit-th failure locks the address
    locked = attacker.post("/login/", {"username": citizen.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "로그인에 여러 번 실패하여 잠시 잠겼습니다" in locked.content.decode()
    # The citizen at home (another address) is not affected.
    home = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        home.post("/login/", {"username": citizen.username, "password": PASSWORD}).status_code
        == 302
    )


def test_a_valid_credential_in_the_list_does_not_reset_the_address() -> None:
    citizen = factories.mapo_citizen(password=PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        _fail(attacker, f"leaked-{n:03d}")
    ok = attacker.post("/login/", {"username": citizen.username, "password": PASSWORD})
    assert ok.status_code == 302
    assert _fail(Client(REMOTE_ADDR="203.0.113.8"), "leaked-999") == 429


def test_a_few_typos_from_a_shared_address_do_not_lock_it() -> None:
    """A community centre's PCs share one address: per-username limit first, address later."""
    assert settings.AXES_IP_FAILURE_LIMIT >= 4 * settings.AXES_FAILURE_LIMIT
    factories.mapo_citizen(password=PASSWORD)
    centre = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_IP_FAILURE_LIMIT // 2):
        _fail(centre, f"typo-{n}")
    assert (
        centre.post("/login/", {"username": "mapo-citizen", "password": PASSWORD}).status_code
        == 302
    )
