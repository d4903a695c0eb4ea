"""Notices delivered through channels (issue #14): the local SMS gateway and Django's e-mail
backend, the member's channel choice and fallback, backoff, the dead letter, a hanging gateway
cut by the time limit, the per-channel rate limit, the opt-out of non-essential notices, each
channel at most once per key (also with two deliverers on PostgreSQL), and the city's page."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from mileage.accounts.models import User
from mileage.core import notify
from mileage.core.models import DeliveryStatus, NoticePreference, OutboxMessage
from mileage.members.models import SmsMessage
from tests import factories
from tests.core.test_outbox import deliver_side_by_side

pytestmark = pytest.mark.django_db

LOCAL_MAIL = "mileage.core.channels.LocalMemoryEmailBackend"
SMS = "mileage.members.sms.LocalSmsGateway"


@pytest.fixture(autouse=True)
def local_gateways():
    """The local SMS gateway and the local (in-memory) mail backend, both working, no limits."""
    with override_settings(
        MILEAGE_SMS_GATEWAY=SMS,
        EMAIL_BACKEND=LOCAL_MAIL,
        MILEAGE_LOCAL_NOTICE_FAULTS={},
        MILEAGE_NOTICE_RATE_PER_MINUTE={},
        MILEAGE_NOTICE_RETRY_SECONDS=60,
        MILEAGE_NOTICE_RETRY_MAX_SECONDS=3600,
        MILEAGE_NOTICE_MAX_ATTEMPTS=5,
        MILEAGE_NOTICE_TIMEOUT_SECONDS=10,
    ):
        mail.outbox = []
        yield


def _member(name: str, *, phone: str = "", email: str = "") -> User:
    user = factories.person(name, display_name=name)
    user.phone, user.email = phone, email
    user.save(update_fields=["phone", "email"])
    return user


def _send(user: User, key: str, kind: str = "reading.decision") -> None:
    assert notify.get_notifier().send(user, kind=kind, subject="심사 결과", body="승인", key=key)


def _prefer(user: User, *, sms: bool, email: bool, non_essential: bool = True) -> None:
    NoticePreference.objects.update_or_create(
        user=user, defaults={"sms": sms, "email": email, "non_essential": non_essential}
    )


def _message(key: str) -> OutboxMessage:
    return OutboxMessage.objects.get(key=key)


def test_without_a_choice_sms_when_there_is_a_phone_number_else_email() -> None:
    _send(_member("with-phone", phone="010-1111-2222", email="a@example.com"), "m1")
    _send(_member("mail-only", email="b@example.com"), "m2")

    assert notify.deliver_pending()["sent"] == 2
    (sms,) = SmsMessage.objects.all()
    assert sms.phone == "010-1111-2222" and "[서울 마일리지] 심사 결과" in sms.body
    assert [m.to for m in mail.outbox] == [["b@example.com"]]
    assert mail.outbox[0].extra_headers["X-Mileage-Notice-Key"] == "m2"
    assert (_message("m1").sent_channels, _message("m2").sent_channels) == ("sms", "email")


def test_a_member_who_chose_both_channels_gets_each_once() -> None:
    member = _member("both", phone="010-1111-3333", email="both@example.com")
    _prefer(member, sms=True, email=True)
    _send(member, "both-1")

    assert notify.deliver_pending()["sent"] == 1
    assert notify.deliver_pending()["sent"] == 0
    assert SmsMessage.objects.count() == 1 and len(mail.outbox) == 1
    message = _message("both-1")
    assert (message.status, message.sent_channels, message.attempts) == ("sent", "sms,email", 1)


def test_a_chosen_channel_that_cannot_reach_the_member_falls_back_to_the_next() -> None:
    member = _member("no-phone", email="fallback@example.com")
    _prefer(member, sms=True, email=False)  # chose SMS, but has no phone number
    _send(member, "fb")
    notify.deliver_pending()
    assert not SmsMessage.objects.exists() and [m.to for m in mail.outbox] == [
        ["fallback@example.com"]
    ]
    with override_settings(MILEAGE_SMS_GATEWAY=""):  # no SMS gateway configured at all
        phone_only_mail = _member("gw-off", phone="010-1111-4444", email="gw@example.com")
        _send(phone_only_mail, "gw")
        notify.deliver_pending()
    assert _message("gw").sent_channels == "email"


def test_a_member_with_no_way_to_be_reached_is_a_dead_letter_at_once() -> None:
    _send(_member("nowhere"), "lost")
    assert notify.deliver_pending()["dead"] == 1
    message = _message("lost")
    assert message.status == DeliveryStatus.DEAD and message.get_status_display() == "발송 실패"
    assert message.last_error == "알림을 받을 연락처가 없습니다."


def test_a_refused_message_is_tried_again_after_a_doubling_wait() -> None:
    _send(_member("retry", phone="010-2222-0000"), "r")
    with override_settings(MILEAGE_LOCAL_NOTICE_FAULTS={"sms": "fail"}):
        before = timezone.now()
        assert notify.deliver_pending()["retry"] == 1
        first = _message("r")
        assert first.status == "pending" and first.attempts == 1
        assert "문자 발송 실패" in first.last_error and "refused" in first.last_error
        wait = first.next_attempt_at - before
        assert dt.timedelta(seconds=60) <= wait < dt.timedelta(seconds=70)

        # not due yet: nothing is tried, even by a second pass
        assert notify.deliver_pending(now=first.next_attempt_at - dt.timedelta(seconds=1)) == {
            "sent": 0,
            "retry": 0,
            "dead": 0,
            "skipped": 0,
            "deferred": 0,
        }
        assert _message("r").attempts == 1

        before = timezone.now()
        assert notify.deliver_pending(now=first.next_attempt_at)["retry"] == 1
        second = _message("r")
        assert second.attempts == 2
        assert (
            dt.timedelta(seconds=120) <= second.next_attempt_at - before < dt.timedelta(seconds=130)
        )
    # the gateway works again: the next due pass sends it, once
    assert notify.deliver_pending(now=second.next_attempt_at)["sent"] == 1
    assert SmsMessage.objects.count() == 1 and _message("r").status == "sent"


def test_after_the_last_try_the_message_is_dead_with_its_last_error() -> None:
    _send(_member("dead", phone="010-2222-1111"), "d")
    far = timezone.now() + dt.timedelta(days=1)
    with override_settings(
        MILEAGE_LOCAL_NOTICE_FAULTS={"sms": "fail"}, MILEAGE_NOTICE_MAX_ATTEMPTS=3
    ):
        assert notify.deliver_pending()["retry"] == 1
        assert notify.deliver_pending(now=far)["retry"] == 1
        assert notify.deliver_pending(now=far + dt.timedelta(days=1))["dead"] == 1
        assert notify.deliver_pending(now=far + dt.timedelta(days=9)) == {
            "sent": 0,
            "retry": 0,
            "dead": 0,
            "skipped": 0,
            "deferred": 0,
        }  # a dead letter is never tried again
    message = _message("d")
    assert (message.status, message.attempts) == ("dead", 3)
    assert message.next_attempt_at is None and "문자 발송 실패" in message.last_error
    assert not SmsMessage.objects.exists()


def test_a_hanging_gateway_is_cut_off_by_the_time_limit_and_counts_as_a_failed_try() -> None:
    _send(_member("hang", phone="010-2222-2222", email="hang@example.com"), "h")
    with override_settings(
        MILEAGE_LOCAL_NOTICE_FAULTS={"sms": "hang"},
        MILEAGE_LOCAL_NOTICE_HANG_SECONDS=3,
        MILEAGE_NOTICE_TIMEOUT_SECONDS=0.2,
    ):
        assert notify.deliver_pending()["retry"] == 1
    message = _message("h")
    assert message.last_error == "문자 발송 서비스가 0.2초 안에 응답하지 않았습니다."
    assert message.attempts == 1 and message.status == "pending"
    assert not SmsMessage.objects.exists()


def test_a_hanging_mail_server_is_cut_off_too() -> None:
    member = _member("hang-mail", email="slow@example.com")
    _send(member, "hm")
    with override_settings(
        MILEAGE_LOCAL_NOTICE_FAULTS={"email": "hang"},
        MILEAGE_LOCAL_NOTICE_HANG_SECONDS=3,
        MILEAGE_NOTICE_TIMEOUT_SECONDS=0.2,
    ):
        assert notify.deliver_pending()["retry"] == 1
    assert _message("hm").last_error == "이메일 발송 서비스가 0.2초 안에 응답하지 않았습니다."
    assert mail.outbox == []


def test_a_channel_that_failed_is_tried_again_without_sending_twice_by_the_one_that_worked() -> (
    None
):
    member = _member("half", phone="010-2222-3333", email="half@example.com")
    _prefer(member, sms=True, email=True)
    _send(member, "half")
    with override_settings(MILEAGE_LOCAL_NOTICE_FAULTS={"email": "fail"}):
        assert notify.deliver_pending()["retry"] == 1
    assert _message("half").sent_channels == "sms"
    later = timezone.now() + dt.timedelta(hours=1)
    assert notify.deliver_pending(now=later)["sent"] == 1
    assert SmsMessage.objects.count() == 1 and len(mail.outbox) == 1  # SMS not sent again
    assert _message("half").sent_channels == "sms,email"


def test_the_rate_limit_leaves_the_excess_pending_for_the_next_minute() -> None:
    members = [_member(f"rate-{i}", phone=f"010-3333-000{i}") for i in range(5)]
    for i, member in enumerate(members):
        _send(member, f"rate-{i}")
    minute = timezone.now().replace(second=5, microsecond=0)
    with override_settings(MILEAGE_NOTICE_RATE_PER_MINUTE={"sms": 2}):
        assert notify.deliver_pending(now=minute) == {
            "sent": 2,
            "retry": 0,
            "dead": 0,
            "skipped": 0,
            "deferred": 3,
        }
        # the same minute: the limit is used up, nothing more goes and nothing is dropped
        assert notify.deliver_pending(now=minute + dt.timedelta(seconds=30))["sent"] == 0
        assert OutboxMessage.objects.filter(status="pending").count() == 3
        assert notify.deliver_pending(now=minute + dt.timedelta(minutes=1))["sent"] == 2
        assert notify.deliver_pending(now=minute + dt.timedelta(minutes=2))["sent"] == 1
    assert SmsMessage.objects.count() == 5
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_opted_out_members_skip_reminders_but_get_decisions() -> None:
    member = _member("quiet", phone="010-4444-0000")
    _prefer(member, sms=True, email=False, non_essential=False)
    _send(member, "reminder", kind="window.opens")
    _send(member, "decision", kind="reading.decision")
    _send(member, "void", kind="pilot.void")
    counts = notify.deliver_pending()
    assert (counts["skipped"], counts["sent"]) == (1, 2)
    reminder = _message("reminder")
    assert (
        reminder.status == DeliveryStatus.SKIPPED and reminder.get_status_display() == "수신 거부"
    )
    assert SmsMessage.objects.count() == 2
    # a member who kept them gets the reminder
    other = _member("talkative", phone="010-4444-1111")
    _send(other, "reminder-2", kind="window.opens")
    assert notify.deliver_pending()["sent"] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_side_by_side_send_each_message_once_per_channel() -> None:
    member = _member("race", phone="010-5555-0000", email="race@example.com")
    _prefer(member, sms=True, email=True)
    for i in range(120):
        _send(member, f"race-{i}")
    totals = deliver_side_by_side()
    assert sum(t["sent"] for t in totals) == 120
    assert SmsMessage.objects.count() == 120 and len(mail.outbox) == 120
    keys = [m.extra_headers["X-Mileage-Notice-Key"] for m in mail.outbox]
    assert len(set(keys)) == 120
    assert OutboxMessage.objects.filter(status="sent", sent_channels="sms,email").count() == 120


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_share_one_rate_limit() -> None:
    for i in range(30):
        _send(_member(f"shared-{i}", phone=f"010-6666-{i:04d}"), f"shared-{i}")
    barrier = threading.Barrier(2)
    minute = timezone.now().replace(second=1, microsecond=0)

    def deliver() -> None:
        try:
            barrier.wait()
            notify.deliver_pending(batch=4, now=minute)
        finally:
            connection.close()

    with override_settings(MILEAGE_NOTICE_RATE_PER_MINUTE={"sms": 10}):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert SmsMessage.objects.count() == 10
    assert OutboxMessage.objects.filter(status="pending").count() == 20


def test_the_city_sees_counts_by_channel_and_status_and_the_failures() -> None:
    texter = _member("page-sms", phone="010-7777-0000")
    writer = _member("page-mail", email="page@example.com")
    quiet = _member("page-quiet", phone="010-7777-1111")
    _prefer(quiet, sms=True, email=False, non_essential=False)
    _send(texter, "p1")
    _send(texter, "p2")
    _send(writer, "p3")
    _send(quiet, "p4", kind="window.closes")
    _send(_member("page-nowhere"), "p5")
    notify.deliver_pending()

    client = Client()
    client.force_login(factories.city_manager())
    page = client.get("/city/notices/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "알림 발송 현황" in html
    totals = {row["channel"]: row for row in page.context["totals"]}
    assert (totals["sms"]["sent"], totals["sms"]["skipped"]) == (2, 1)
    assert totals["email"]["sent"] == 1
    assert sum(row["dead"] for row in page.context["totals"]) == 1
    daily = page.context["rows"]
    assert {(r["kind_label"], r["channel_label"], r["sent"]) for r in daily} >= {
        ("주행거리 심사 결과", "문자", 2),
        ("주행거리 심사 결과", "이메일", 1),
    }
    assert "제출 기간 마감 안내" in html and "수신 거부" in html
    (failure,) = page.context["failures"]
    assert failure.key == "p5" and "알림을 받을 연락처가 없습니다." in html
    assert "reading.decision" not in html  # Korean names, not codes

    bad = client.get("/city/notices/?days=abc")
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert "1일에서 90일 사이" in bad.content.decode()


def test_the_dashboard_links_the_city_to_the_notices_page() -> None:
    client = Client()
    client.force_login(factories.city_manager())
    assert 'href="/city/notices/"' in client.get("/dashboard/").content.decode()


def test_a_claim_that_ran_out_and_was_taken_by_another_deliverer_is_not_sent_twice() -> None:
    """A slow deliverer's lease on a message it has not reached yet runs out; another
    deliverer takes and sends the message; the slow one then skips it (compare-and-set)."""
    _send(_member("lease", phone="010-8888-0000"), "lease")
    counts = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "deferred": 0}
    claimed, _last = notify._claim(10, 0, timezone.now(), counts)
    ((slow_copy, _todo),) = claimed
    # held: a second deliverer now finds nothing to take
    assert notify.deliver_pending()["sent"] == 0
    later = timezone.now() + dt.timedelta(minutes=5)  # past the lease
    assert notify.deliver_pending(now=later)["sent"] == 1
    assert not notify._renew(slow_copy)
    assert SmsMessage.objects.count() == 1
