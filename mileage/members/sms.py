"""SMS gateway adapter (문자 발송). Production plugs a carrier/agency gateway in through
`settings.MILEAGE_SMS_GATEWAY`; the local gateway records each message in `SmsMessage`
(shown at /dev/messages/ while it is the configured gateway)."""

from __future__ import annotations

import time
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from mileage.core.channels import fault, hang_seconds

from .errors import IdentityUnavailable

LOCAL_GATEWAY = "mileage.members.sms.LocalSmsGateway"


class SmsGateway(Protocol):
    def send(self, phone: str, body: str) -> None: ...


class SmsGatewayError(Exception):
    """The gateway refused the message."""


class LocalSmsGateway:
    """Records the message instead of sending it; fails or hangs on demand like a carrier's
    gateway (`settings.MILEAGE_LOCAL_NOTICE_FAULTS["sms"]` = "fail" | "hang").

    `transmit` is the gateway call (no database: the notice deliverer runs it in a worker
    thread under a time limit), `record` keeps the copy shown at /dev/messages/."""

    def transmit(self, phone: str, body: str) -> None:
        mode = fault("sms")
        if mode == "fail":
            raise SmsGatewayError("local SMS gateway refused the message")
        if mode == "hang":  # never answers in time; the caller's time limit cuts it off
            time.sleep(hang_seconds())
            raise TimeoutError("local SMS gateway never answered")

    def record(self, phone: str, body: str) -> None:
        from .models import SmsMessage

        SmsMessage.objects.create(phone=phone, body=body)

    def send(self, phone: str, body: str) -> None:
        self.transmit(phone, body)
        self.record(phone, body)


def local_gateway_configured() -> bool:
    return getattr(settings, "MILEAGE_SMS_GATEWAY", "") == LOCAL_GATEWAY


def get_sms_gateway() -> SmsGateway:
    dotted = getattr(settings, "MILEAGE_SMS_GATEWAY", "")
    if not dotted:
        raise IdentityUnavailable("문자 발송 서비스가 설정되지 않아 인증번호를 보낼 수 없습니다.")
    return import_string(dotted)()
