"""Passwords, login throttling (django-axes), sessions/CSRF and security headers with CSP."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = factories.PASSWORD


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2() -> None:
    from mileage.site import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = factories.mapo_citizen(password=PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"
    assert PASSWORD not in user.password


def test_login_with_the_right_password_goes_to_the_dashboard() -> None:
    factories.mapo_official(password=PASSWORD)
    response = login(Client(), "mapo-official", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_wrong_password_shows_a_korean_error() -> None:
    factories.mapo_official(password=PASSWORD)
    response = login(Client(), "mapo-official", "wrong")
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in response.content.decode()


def test_login_is_locked_after_repeated_failures_even_with_the_right_password() -> None:
    factories.mapo_official(password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "mapo-official", "wrong").status_code == 200
    locked = login(client, "mapo-official", "wrong")
    assert locked.status_code == 429
    assert "로그인에 여러 번 실패하여 잠시 잠겼습니다" in locked.content.decode()
    again = login(client, "mapo-official", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_user_does_not_lock_another() -> None:
    factories.mapo_official(password=PASSWORD)
    factories.jung_official(password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "mapo-official", "wrong")
    assert login(client, "jung-official", PASSWORD).status_code == 302


def test_lockout_answers_json_under_the_api() -> None:
    from django.test import RequestFactory

    from mileage.web.views import lockout

    response = lockout(RequestFactory().post("/api/v1/anything"))
    assert response.status_code == 429
    assert json.loads(response.content)["code"] == "auth.locked_out"


def test_logout_needs_post_and_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.mapo_citizen())
    assert client.get("/logout/").status_code == 405
    refused = client.post("/logout/")
    assert refused.status_code == 403
    assert "_auth_user_id" in client.session


def test_login_form_needs_csrf() -> None:
    factories.mapo_official(password=PASSWORD)
    client = Client(enforce_csrf_checks=True)
    assert login(client, "mapo-official", PASSWORD).status_code == 403


@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/districts", "/no/such/page/"])
def test_security_headers_and_csp_are_present(path: str) -> None:
    response = Client().get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles() -> None:
    """CSP forbids them, so a page that used one would break in the browser."""
    client = Client()
    client.force_login(factories.city_manager())
    for path in ["/", "/login/", "/dashboard/", "/districts/11440/"]:
        html = Client().get(path).content.decode() if path == "/login/" else None
        html = html or client.get(path).content.decode()
        assert "<style" not in html, path
        assert " style=" not in html, path
        for chunk in html.split("<script")[1:]:
            assert 'src="' in chunk.split(">")[0], f"{path}: inline <script>"


def test_session_cookie_is_http_only() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
