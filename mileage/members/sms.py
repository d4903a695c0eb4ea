"""SMS gateway adapter (문자 발송). Production plugs a carrier/agency gateway in through
`settings.MILEAGE_SMS_GATEWAY`; the local gateway records each message in `SmsMessage`
(shown at /dev/messages/ while it is the configured gateway)."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .errors import IdentityUnavailable

LOCAL_GATEWAY = "mileage.members.sms.LocalSmsGateway"


class SmsGateway(Protocol):
    def send(self, phone: str, body: str) -> None: ...


class LocalSmsGateway:
    """Records the message instead of sending it."""

    def send(self, phone: str, body: str) -> None:
        from .models import SmsMessage

        SmsMessage.objects.create(phone=phone, body=body)


def local_gateway_configured() -> bool:
    return getattr(settings, "MILEAGE_SMS_GATEWAY", "") == LOCAL_GATEWAY


def get_sms_gateway() -> SmsGateway:
    dotted = getattr(settings, "MILEAGE_SMS_GATEWAY", "")
    if not dotted:
        raise IdentityUnavailable("문자 발송 서비스가 설정되지 않아 인증번호를 보낼 수 없습니다.")
    return import_string(dotted)()
