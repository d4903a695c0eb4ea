"""비밀번호 찾기 by a code sent to the account's phone; the lock-out page links to it."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.accounts.models import User
from mileage.members.models import SmsMessage

from .support import last_code, sign_up

pytestmark = pytest.mark.django_db


def _new_password(client: Client):  # type: ignore[no-untyped-def]
    return client.post(
        "/password/reset/new/", {"password1": "다시-시작-2027", "password2": "다시-시작-2027"}
    )


def test_reset_with_the_code_sent_to_the_accounts_phone() -> None:
    sign_up(Client())
    client = Client()
    response = client.post("/password/reset/", {"username": "saebom", "phone": "01027413391"})
    assert response.status_code == 302
    assert client.get("/password/reset/new/").url == "/password/reset/"  # not verified yet
    code = last_code("010-2741-3391")
    assert client.post("/password/reset/verify/", {"code": code}).status_code == 302
    assert _new_password(client).status_code == 302
    user = User.objects.get(username="saebom")
    assert user.check_password("다시-시작-2027")
    response = Client().post("/login/", {"username": "saebom", "password": "다시-시작-2027"})
    assert response.status_code == 302


def test_unknown_account_or_other_phone_sends_nothing_and_never_verifies() -> None:
    sign_up(Client())
    before = SmsMessage.objects.count()
    client = Client()
    response = client.post("/password/reset/", {"username": "saebom", "phone": "010-9999-9999"})
    assert response.status_code == 302  # looks the same from outside
    assert SmsMessage.objects.count() == before
    response = client.post("/password/reset/verify/", {"code": "123456"})
    assert response.status_code == 400 and "인증번호가 맞지 않습니다" in response.content.decode()


def test_bad_phone_is_shown_next_to_the_field() -> None:
    response = Client().post("/password/reset/", {"username": "saebom", "phone": "12"})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="phone-error"' in html and 'value="saebom"' in html


def test_lockout_page_links_to_reset_instead_of_calling_the_district(settings) -> None:  # type: ignore[no-untyped-def]
    from tests import factories

    factories.mapo_citizen(password=factories.PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": "mapo-citizen", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'href="/password/reset/"' in html and "구청 또는 주민센터에 문의" not in html


def test_reset_ends_the_lockout() -> None:
    from django.conf import settings

    sign_up(Client())
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "saebom", "password": "wrong"})
    assert client.post("/login/", {"username": "saebom", "password": "wrong"}).status_code == 429
    client.post("/password/reset/", {"username": "saebom", "phone": "010-2741-3391"})
    client.post("/password/reset/verify/", {"code": last_code("010-2741-3391")})
    _new_password(client)
    response = client.post("/login/", {"username": "saebom", "password": "다시-시작-2027"})
    assert response.status_code == 302
