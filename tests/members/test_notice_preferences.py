"""알림 수신 설정 on the profile page (issue #14): channels (문자/이메일) and the opt-out of
non-essential notices, stored per member; refused input keeps what was typed (role=alert)."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.core.models import NoticePreference
from tests import factories

pytestmark = pytest.mark.django_db


def _client(phone: str = "") -> tuple[Client, object]:
    user = factories.mapo_citizen()
    user.phone = phone
    user.save(update_fields=["phone"])
    client = Client()
    client.force_login(user)
    return client, user


def test_the_profile_shows_the_settings_in_korean_with_the_default_choice() -> None:
    client, _ = _client(phone="010-1234-5678")
    page = client.get("/account/")
    html = page.content.decode()
    assert "알림 수신 설정" in html and "문자" in html and "이메일" in html
    assert "안내·홍보 알림" in html
    # no choice yet: what delivery does without one (SMS, as there is a phone number; all)
    initial = page.context["notice_form"].initial
    assert (initial["sms"], initial["email"], initial["non_essential"]) == (True, False, True)


def test_saving_channels_and_the_opt_out() -> None:
    client, user = _client(phone="010-1234-5678")
    response = client.post(
        "/account/notices/", {"sms": "on", "email": "on", "email_address": "me@example.com"}
    )
    assert response.status_code == 302
    saved = NoticePreference.objects.get(user=user)
    assert (saved.sms, saved.email, saved.non_essential) == (True, True, False)
    user.refresh_from_db()
    assert user.email == "me@example.com"
    assert "알림 수신 설정을 저장했습니다." in client.get("/account/").content.decode()


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"non_essential": "on", "email_address": "keep@example.com"},
            None,
            "알림을 받을 방법을 하나 이상 골라 주세요.",
        ),
        ({"email": "on"}, "email_address", "이메일로 받으려면 이메일 주소를 입력해 주세요."),
        (
            {"email": "on", "email_address": "not-an-address"},
            "email_address",
            "이메일 주소를 확인해 주세요.",
        ),
        ({"sms": "on"}, "sms", "휴대전화 번호가 없어 문자로 받을 수 없습니다."),
    ],
)
def test_refused_settings_say_why_and_keep_what_was_typed(form, field, message) -> None:
    client, user = _client(phone="")
    response = client.post("/account/notices/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    if field:
        assert f'id="{field}-error"' in html
    if form.get("email_address"):
        assert f'value="{form["email_address"]}"' in html  # the form keeps the input
    assert not NoticePreference.objects.filter(user=user).exists()
