"""The transactional outbox (issue #13, finding 2): messages are written pending, in the writer's
transaction, once per key; the deliverer sends each through its channel and marks it (channels,
backoff, rate limits and preferences: test_notice_delivery.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from mileage.accounts.models import User
from mileage.core import notify
from mileage.core.channels import Notice
from mileage.core.models import DeliveryStatus, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
NONE = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "deferred": 0}

DELIVERED: Counter[str] = Counter()
REFUSE: set[str] = set()


class RecordingChannel:
    """An SMS gateway that counts what it was handed, and refuses the keys in REFUSE."""

    name = "sms"

    def address(self, user: User) -> str:
        return user.phone

    def send(self, notice: Notice) -> str:
        if notice.key in REFUSE:
            raise ConnectionError("gateway said no")
        DELIVERED[notice.key] += 1
        return notice.key

    def record(self, notice: Notice, receipt: str) -> None:
        pass


@pytest.fixture
def recording():
    DELIVERED.clear()
    REFUSE.clear()
    with override_settings(
        MILEAGE_NOTICE_CHANNELS={"sms": f"{__name__}.RecordingChannel"},
        MILEAGE_NOTICE_RATE_PER_MINUTE={},
    ):
        yield DELIVERED


def mapo_citizen() -> User:
    user = factories.mapo_citizen()
    user.phone = "010-1234-5678"
    user.save(update_fields=["phone"])
    return user


def _send(user: User, key: str) -> bool:
    return notify.get_notifier().send(user, kind="k", subject="제목", body="본문", key=key)


def test_a_message_is_written_pending_and_delivered_once(recording) -> None:
    citizen = mapo_citizen()
    assert _send(citizen, "a") and _send(citizen, "b") and not _send(citizen, "a")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}

    assert notify.deliver_pending() == {**NONE, "sent": 2}
    assert notify.deliver_pending() == NONE  # nothing twice
    assert recording == {"a": 1, "b": 1}
    for message in OutboxMessage.objects.all():
        assert (message.status, message.attempts) == (DeliveryStatus.SENT, 1)
        assert message.sent_at is not None


def test_a_message_written_in_a_transaction_that_rolls_back_is_never_sent(recording) -> None:
    citizen = mapo_citizen()
    with pytest.raises(RuntimeError), transaction.atomic():
        _send(citizen, "lost-with-the-payment")
        raise RuntimeError("the payment failed")
    assert not OutboxMessage.objects.exists()
    assert notify.deliver_pending()["sent"] == 0 and not recording


def test_a_refused_message_is_tried_again_then_dead(recording) -> None:
    citizen = mapo_citizen()
    _send(citizen, "ok")
    _send(citizen, "refused")
    REFUSE.add("refused")
    later = timezone.now() + dt.timedelta(days=1)  # after the backoff
    with override_settings(MILEAGE_NOTICE_MAX_ATTEMPTS=2):
        assert notify.deliver_pending() == {**NONE, "sent": 1, "retry": 1}
        refused = OutboxMessage.objects.get(key="refused")
        assert (refused.status, refused.attempts) == ("pending", 1)
        assert "gateway said no" in refused.last_error
        assert notify.deliver_pending(now=later) == {**NONE, "dead": 1}
        assert OutboxMessage.objects.get(key="refused").status == "dead"
        assert notify.deliver_pending(now=later) == NONE
    assert recording == {"ok": 1}


def test_the_limit_stops_a_pass(recording) -> None:
    citizen = mapo_citizen()
    for i in range(5):
        _send(citizen, f"m{i}")
    assert notify.deliver_pending(batch=2, limit=3)["sent"] == 3
    assert OutboxMessage.objects.filter(status="pending").count() == 2


def test_the_delivery_task_delivers_what_is_pending_and_queues_itself_for_the_rest(
    recording,
) -> None:
    from mileage.core.tasks import deliver_notices

    citizen = mapo_citizen()
    for i in range(3):
        _send(citizen, f"t{i}")
    assert deliver_notices.delay(limit=2).get() == {**NONE, "sent": 2}
    # it queued a pass for the rest after the commit (inside this test's transaction: never)
    assert OutboxMessage.objects.filter(status="pending").count() == 1
    assert deliver_notices.delay().get()["sent"] == 1
    assert recording == {"t0": 1, "t1": 1, "t2": 1}


def test_send_set_takes_only_a_values_list_queryset() -> None:
    with pytest.raises(TypeError):
        notify.send_set("INSERT INTO core_outboxmessage ...")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        notify.send_set(User.objects.values_list("id", "username"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_side_by_side_deliver_each_message_once(recording) -> None:
    """SKIP LOCKED and claims: a row one deliverer holds is not taken by the other (at most
    once per key)."""
    citizen = mapo_citizen()
    for i in range(300):
        _send(citizen, f"race-{i}")
    totals = deliver_side_by_side()
    assert sum(t["sent"] for t in totals) == 300
    assert len(recording) == 300 and set(recording.values()) == {1}
    assert OutboxMessage.objects.filter(status="sent").count() == 300


def deliver_side_by_side(batch: int = 7) -> list[dict[str, int]]:
    """Two deliverers started at once (a barrier), each on its own connection; their counts."""
    barrier = threading.Barrier(2)
    totals: list[dict[str, int]] = []

    def deliver() -> None:
        try:
            barrier.wait()
            totals.append(notify.deliver_pending(batch=batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return totals
