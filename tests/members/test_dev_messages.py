"""/dev/messages/ lists what the local SMS gateway recorded, only while it is the gateway."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.members.support import RecordingGateway, start_signup

pytestmark = pytest.mark.django_db


def test_lists_the_recorded_codes_with_korean_dates() -> None:
    client = Client()
    start_signup(client)
    html = client.get("/dev/messages/").content.decode()
    assert "010-2741-3391" in html and "인증번호" in html
    assert ". " in html and "-12-" not in html.split("sms-time")[1][:40]


def test_is_404_when_another_gateway_is_configured(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MILEAGE_SMS_GATEWAY = "tests.members.support.RecordingGateway"
    assert Client().get("/dev/messages/").status_code == 404


def test_another_gateway_gets_the_code_and_nothing_is_recorded_locally(settings) -> None:  # type: ignore[no-untyped-def]
    from mileage.members.models import SmsMessage

    settings.MILEAGE_SMS_GATEWAY = "tests.members.support.RecordingGateway"
    RecordingGateway.sent.clear()
    assert start_signup(Client()).status_code == 302
    assert RecordingGateway.sent and RecordingGateway.sent[0][0] == "010-2741-3391"
    assert not SmsMessage.objects.exists()


def test_no_gateway_configured_refuses_in_korean_and_sends_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MILEAGE_SMS_GATEWAY = ""
    response = start_signup(Client())
    assert response.status_code == 503
    assert "문자 발송 서비스가 설정되지 않아" in response.content.decode()


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import mileage.site.settings as s; print(s.MILEAGE_SMS_GATEWAY or '-')"
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MILEAGE_SMS", "MILEAGE_ENV", "DEBUG"))
    }
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True
    )


def test_production_settings_never_enable_the_local_gateway(tmp_path) -> None:  # type: ignore[no-untyped-def]
    prod = {
        "MILEAGE_ENV": "production",
        "SECRET_KEY": "s" * 60,
        "BANK_ACCOUNT_KEY": "k" * 44,
        "MILEAGE_VAR_DIR": str(tmp_path),
    }
    result = _settings_with(prod)
    assert result.returncode == 0 and result.stdout.strip() == "-", result.stderr[-800:]
    result = _settings_with({**prod, "MILEAGE_SMS_GATEWAY": "mileage.members.sms.LocalSmsGateway"})
    assert result.returncode != 0 and "development only" in result.stderr
    dev = _settings_with({"MILEAGE_ENV": "development", "MILEAGE_VAR_DIR": str(tmp_path)})
    assert dev.stdout.strip() == "mileage.members.sms.LocalSmsGateway", dev.stderr[-800:]
