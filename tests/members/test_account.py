"""내 정보: profile in Korean dates, name and phone change through re-verification, optional
consents withdrawn (required ones not), password change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mileage.accounts.models import User
from mileage.members.models import Consent
from tests import factories

from .support import last_code, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client() -> tuple[Client, User]:
    client = Client()
    sign_up(client, consent_sms_news="on")
    return client, User.objects.get(username="saebom")


def _reverify(client: Client, **identity: str):  # type: ignore[no-untyped-def]
    data = {"name": "박새봄", "birth_date": "1991-04-17", "phone": "010-2741-3391", **identity}
    response = client.post("/account/verify/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    from mileage.members.phones import normalise_phone

    return client.post("/account/verify/code/", {"code": last_code(normalise_phone(data["phone"]))})


def test_profile_shows_korean_dates_and_consents(member_client) -> None:  # type: ignore[no-untyped-def]
    client, _user = member_client
    html = client.get("/account/").content.decode()
    assert "1991. 4. 17." in html and "1991-04-17" not in html
    assert "동의 철회" in html and "마일리지 소식 문자 수신" in html
    assert "제1판" in html


def test_phone_change_through_reverification_keeps_the_ci(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    ci = user.ci
    response = _reverify(client, phone="+82 10 8888 1234")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "010-8888-1234" and user.ci == ci
    assert "휴대전화 번호를 바꿨습니다" in client.get("/account/").content.decode()


def test_name_change_through_reverification(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    assert _reverify(client, name="박봄").status_code == 302  # 개명: same phone, same CI
    user.refresh_from_db()
    assert user.display_name == "박봄"
    assert "이름을 바꿨습니다" in client.get("/account/").content.decode()


def test_reverification_of_another_person_is_refused(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    response = _reverify(client, name="김다른", birth_date="1980-01-01", phone="010-4444-0000")
    assert response.status_code == 409
    assert "본인인증 결과가 회원 정보와 다릅니다" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "박새봄" and user.phone == "010-2741-3391"


def test_an_old_account_gets_its_ci_by_verifying() -> None:
    citizen = factories.mapo_citizen()
    client = Client()
    client.force_login(citizen)
    assert _reverify(client, name="김마포", birth_date="1970-05-05").status_code == 302
    citizen.refresh_from_db()
    assert citizen.ci and citizen.birth_date == dt.date(1970, 5, 5)


def test_optional_consent_is_withdrawn_and_given_again(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    assert client.post("/account/consents/sms_news/", {"action": "withdraw"}).status_code == 302
    row = Consent.objects.get(user=user, item="sms_news")
    assert row.withdrawn_at is not None  # the record stays, with the time it was withdrawn
    client.post("/account/consents/sms_news/", {"action": "give"})
    assert Consent.objects.filter(user=user, item="sms_news").count() == 2
    assert Consent.objects.filter(user=user, item="sms_news", withdrawn_at=None).count() == 1


def test_required_consent_cannot_be_withdrawn(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    response = client.post("/account/consents/terms/", {"action": "withdraw"})
    assert (
        response.status_code == 400
        and "필수 동의는 철회할 수 없습니다" in response.content.decode()
    )
    assert Consent.objects.get(user=user, item="terms").withdrawn_at is None
    assert client.post("/account/consents/nothing/", {"action": "give"}).status_code == 404


def test_password_change_needs_the_current_password(member_client) -> None:  # type: ignore[no-untyped-def]
    client, user = member_client
    response = client.post(
        "/account/password/",
        {"old_password": "wrong", "password1": "새-비밀번호-2027", "password2": "새-비밀번호-2027"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'id="old_password-error"' in html
    response = client.post(
        "/account/password/",
        {
            "old_password": "봄날의-자전거-2026",
            "password1": "새-비밀번호-2027",
            "password2": "새-비밀번호-2027",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("새-비밀번호-2027")
    assert client.get("/account/").status_code == 200  # still signed in
