"""Notice channels (알림 발송 채널): how an outbox message leaves the platform.

Each channel is an adapter behind the `Channel` protocol, chosen by name through
`settings.MILEAGE_NOTICE_CHANNELS` (name → dotted class):

- `sms` (문자): the SMS gateway adapter (`settings.MILEAGE_SMS_GATEWAY`, the one that sends the
  본인인증 codes). The local gateway records what it "sent" (shown at /dev/messages/).
- `email` (이메일): Django's e-mail backends (`EMAIL_BACKEND`: SMTP in production, console or
  file in development, locmem in tests). `LocalEmailBackend` is locmem with the fault switch.

KakaoTalk 알림톡 is not offered: it sends only texts that match a template Kakao reviewed and
approved, filled in variable by variable, and the outbox holds finished Korean texts written
set-based in SQL (`send_set`); an adapter that sent them as 알림톡 would be one the real
service refuses (docs/architecture.md, "Notices").

A channel's `send` runs in a worker thread under a time limit
(`MILEAGE_NOTICE_TIMEOUT_SECONDS`, `call_with_timeout`): a gateway that hangs is cut off and the
try counts as failed. `send` must not use the database; what a local adapter keeps is written
by `record`, in the deliverer's thread, after the gateway said yes.

The local adapters fail or hang on demand, like the real ones do
(`settings.MILEAGE_LOCAL_NOTICE_FAULTS`, e.g. `{"sms": "hang", "email": "fail"}`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core import mail
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils.module_loading import import_string

DEFAULT_CHANNELS = {
    "sms": "mileage.core.channels.SmsChannel",
    "email": "mileage.core.channels.EmailChannel",
}
ORDER = ("sms", "email")  # the fallback order when a chosen channel cannot reach the member
LABELS = {"sms": "문자", "email": "이메일"}
PREFIX = "[서울 마일리지]"


class ChannelError(Exception):
    """A channel refused a message or could not be reached; the text is Korean (city page)."""


@dataclass(frozen=True)
class Notice:
    """What a channel sends: plain values (no model instance crosses into the worker thread)."""

    key: str
    kind: str
    subject: str
    body: str
    address: str


class Channel(Protocol):
    name: str

    def address(self, user: Any) -> str:
        """Where this channel reaches the member; '' when it cannot (no number, not set up)."""
        ...

    def send(self, notice: Notice) -> str:
        """Hand the notice to the gateway (worker thread, no database); return its receipt.
        Raise (anything) when the gateway refuses."""
        ...

    def record(self, notice: Notice, receipt: str) -> None:
        """After the gateway said yes, in the deliverer's transaction (local adapters keep a
        copy here; real ones nothing)."""
        ...


def fault(channel: str) -> str:
    """The local adapters' fault switch: '' (work), 'fail' or 'hang'."""
    return str(getattr(settings, "MILEAGE_LOCAL_NOTICE_FAULTS", {}).get(channel, "") or "")


def hang_seconds() -> float:
    return float(getattr(settings, "MILEAGE_LOCAL_NOTICE_HANG_SECONDS", 30))


class SmsChannel:
    name = "sms"

    def _gateway(self) -> Any:
        dotted = getattr(settings, "MILEAGE_SMS_GATEWAY", "")
        return import_string(dotted)() if dotted else None

    def address(self, user: Any) -> str:
        if not getattr(settings, "MILEAGE_SMS_GATEWAY", ""):
            return ""  # no gateway configured: the member is reached another way
        return str(getattr(user, "phone", "") or "")

    def send(self, notice: Notice) -> str:
        gateway = self._gateway()
        if gateway is None:
            raise ChannelError("문자 발송 서비스가 설정되지 않았습니다.")
        transmit = getattr(gateway, "transmit", None) or gateway.send
        transmit(notice.address, sms_text(notice))
        return notice.key

    def record(self, notice: Notice, receipt: str) -> None:
        keep = getattr(self._gateway(), "record", None)
        if keep is not None:
            keep(notice.address, sms_text(notice))


def sms_text(notice: Notice) -> str:
    return f"{PREFIX} {notice.subject}\n{notice.body}"


class EmailChannel:
    name = "email"

    def address(self, user: Any) -> str:
        return str(getattr(user, "email", "") or "")

    def send(self, notice: Notice) -> str:
        message = mail.EmailMessage(
            subject=f"{PREFIX} {notice.subject}",
            body=notice.body,
            to=[notice.address],
            headers={"X-Mileage-Notice-Key": notice.key},  # the gateway's idempotency key
        )
        if message.send() != 1:
            raise ChannelError("메일 서버가 메일을 받지 않았습니다.")
        return notice.key

    def record(self, notice: Notice, receipt: str) -> None:
        """Django's backends keep their own copy (file, console, locmem)."""


class _Faults:
    """A local mail backend that fails or hangs on demand (`MILEAGE_LOCAL_NOTICE_FAULTS`)."""

    def send_messages(self, email_messages: Any) -> int:
        mode = fault("email")
        if mode == "fail":
            raise ConnectionRefusedError("local mail server refused the connection")
        if mode == "hang":  # never answers in time; the deliverer's time limit cuts it off
            time.sleep(hang_seconds())
            raise TimeoutError("local mail server never answered")
        return super().send_messages(email_messages)  # type: ignore[misc]


class LocalEmailBackend(_Faults, ConsoleBackend):
    """Development: the messages are printed (make run's console), with the fault switch."""


class LocalMemoryEmailBackend(_Faults, LocmemBackend):
    """Tests: the messages are kept in `django.core.mail.outbox`, with the fault switch."""


def get_channel(name: str) -> Channel:
    configured = {**DEFAULT_CHANNELS, **getattr(settings, "MILEAGE_NOTICE_CHANNELS", {})}
    return import_string(configured[name])()


def timeout_seconds() -> float:
    return float(getattr(settings, "MILEAGE_NOTICE_TIMEOUT_SECONDS", 10))


class ChannelTimeout(ChannelError):
    pass


def call_with_timeout(channel: Channel, notice: Notice, timeout_s: float) -> str:
    """`channel.send(notice)` in a daemon thread, waited for at most `timeout_s` seconds: a
    gateway that hangs raises `ChannelTimeout` (its late answer, if any, is ignored)."""
    answer: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            answer["receipt"] = channel.send(notice)
        except BaseException as error:  # any refusal or crash of the adapter is a refusal
            answer["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name=f"notice-{channel.name}", daemon=True).start()
    if not done.wait(timeout_s):
        raise ChannelTimeout(
            f"{LABELS.get(channel.name, channel.name)} 발송 서비스가 {timeout_s:g}초 안에 "
            "응답하지 않았습니다."
        )
    if "error" in answer:
        raise answer["error"]
    return str(answer.get("receipt", ""))


def describe_error(channel: str, error: BaseException) -> str:
    """The error as the city page shows it: Korean first, the gateway's words after."""
    if isinstance(error, ChannelError):
        return str(error)[:200]
    label = LABELS.get(channel, channel)
    return f"{label} 발송 실패: {type(error).__name__}: {error}"[:200]
