"""Notifier adapter and its transactional outbox: tell people of decisions, payments and windows.

Writing a message and delivering it are two steps:

1. **Write** (`get_notifier().send(...)` for one message, `send_set(queryset)` for thousands in
   one INSERT … SELECT): a pending `OutboxMessage` row, in the caller's database transaction,
   once per `key`. The message exists exactly when the decision or payment it tells of does: a
   crash loses both or neither, and a repeated or resumed job writes no second row.
2. **Deliver** (`deliver_pending()`, the Celery task `mileage.core.tasks.deliver_notices`, run
   every minute by beat and after each paid chunk): due pending rows are claimed (SKIP LOCKED,
   so no two deliverers take the same one) and sent through the channels the member chose
   (`channels.py`: SMS, e-mail; `NoticePreference`, 알림 수신 설정), each channel at most
   once per key. A failed or timed-out try is tried again after an exponential backoff
   (`next_attempt_at`); after `MILEAGE_NOTICE_MAX_ATTEMPTS` tries the message is dead (발송
   실패) with its last error. Each channel takes at most `MILEAGE_NOTICE_RATE_PER_MINUTE`
   messages a minute (the rest wait for the next pass). A non-essential notice (reminders,
   campaigns) to a member who opted out is skipped (수신 거부).

`settings.MILEAGE_NOTIFIER` names the notifier class (the writer); channels are named in
`settings.MILEAGE_NOTICE_CHANNELS`. A gateway gets `message.key` as its idempotency key where it
takes one (a deliverer killed between the gateway's answer and its record hands the message over
again when its claim ends).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.db.models import CharField, Count, F, Func, Q, QuerySet
from django.db.models.functions import TruncDate
from django.db.models.query import ValuesListIterable
from django.utils import timezone
from django.utils.module_loading import import_string

from . import channels
from .channels import get_channel
from .models import ChannelQuota, DeliveryStatus, NoticePreference, OutboxMessage

log = logging.getLogger(__name__)

# send_set's rows: the queryset's five values, in this order
MESSAGE_COLUMNS = ("user_id", "kind", "subject", "body", "key")


class Notifier(Protocol):
    def send(self, user: Any, *, kind: str, subject: str, body: str, key: str) -> bool: ...


class OutboxNotifier:
    """Writes one pending outbox row per message (a repeated key is written once); the
    deliverer (`deliver_pending`) sends it through the member's channels."""

    def send(self, user: Any, *, kind: str, subject: str, body: str, key: str) -> bool:
        channel = "sms" if getattr(user, "phone", "") else "email"
        try:
            with transaction.atomic():
                OutboxMessage.objects.create(
                    user=user, channel=channel, kind=kind, subject=subject, body=body, key=key
                )
        except IntegrityError:
            return False
        return True


def get_notifier() -> Notifier:
    dotted = getattr(settings, "MILEAGE_NOTIFIER", "mileage.core.notify.OutboxNotifier")
    return import_string(dotted)()


class Thousands(Func):
    """An integer written with thousands separators, as Python's f"{n:,}" writes it."""

    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"Thousands: no SQL for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'FM999,999,999,999,990')"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # '%%%%' in the template is '%%' in the SQL, which the driver's parameter style reads as %
        return super().as_sql(compiler, connection, template="printf('%%%%,d', %(expressions)s)")


class KoreanDate(Func):
    """A date written as citizens read it, "2026. 1. 20.", as `core.text.korean_date` writes it."""

    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"KoreanDate: no SQL for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # FM drops the leading zeros of month and day
        return super().as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'YYYY. FMMM. FMDD.')"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template=(
                "(strftime('%%Y', %(expressions)s) || '. ' "
                "|| CAST(strftime('%%m', %(expressions)s) AS INTEGER) || '. ' "
                "|| CAST(strftime('%%d', %(expressions)s) AS INTEGER) || '.')"
            ),
        )


def send_set(messages: QuerySet) -> int:
    """Write many pending messages in one statement (INSERT … SELECT … ON CONFLICT (key) DO
    NOTHING), in the caller's transaction; returns how many were new.

    `messages`: a `.values_list(user id, kind, subject, body, key)` queryset (expressions
    allowed, e.g. `Concat`, `Thousands`, `KoreanDate`); it is compiled here and read in SQL, so no
    row passes through Python. The channel is the one `OutboxNotifier.send` picks (SMS when the
    person has a phone number, else e-mail). A key already in the outbox is skipped.
    """
    if isinstance(messages, (str, bytes)):
        raise TypeError("messages: a queryset, never SQL text")
    fields = list(messages._fields or ())
    if messages._iterable_class is not ValuesListIterable or len(fields) != len(MESSAGE_COLUMNS):
        raise TypeError("messages: a values_list(user_id, kind, subject, body, key) queryset")
    if messages.db != connection.alias:
        raise ValueError("messages: a queryset of the outbox's database")
    compiler = messages.order_by().query.get_compiler(using=messages.db)
    sql, params = compiler.as_sql()
    aliases = [alias for _, _, alias in compiler.select]
    if sorted(fields) != sorted(aliases):
        raise TypeError(f"messages: the queryset selects {aliases}, not {fields}")
    col = {
        column: f"n.c{aliases.index(field)}"
        for field, column in zip(fields, MESSAGE_COLUMNS, strict=True)
    }
    names = ", ".join(f"c{i}" for i in range(len(aliases)))
    q = connection.ops.quote_name
    users = get_user_model()
    channel = (
        "CASE WHEN COALESCE(u.phone, '') <> '' THEN 'sms' ELSE 'email' END"
        if any(f.name == "phone" for f in users._meta.concrete_fields)
        else "'email'"
    )
    with connection.cursor() as cur:
        cur.execute(
            f"WITH notices ({names}) AS ({sql}) "
            f"INSERT INTO {q(OutboxMessage._meta.db_table)} (user_id, channel, kind, subject, "
            "body, key, created_at, status, attempts, last_error, sent_channels) "
            f"SELECT {col['user_id']}, {channel}, {col['kind']}, "
            f"{col['subject']}, {col['body']}, {col['key']}, %s, %s, 0, '', '' "
            f"FROM notices n JOIN {q(users._meta.db_table)} u "
            f"ON u.{q(users._meta.pk.column)} = {col['user_id']} "
            "WHERE 1 = 1 ON CONFLICT (key) DO NOTHING",  # WHERE: SQLite's upsert needs it here
            [
                *params,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                DeliveryStatus.PENDING.value,
            ],
        )
        if connection.vendor == "sqlite":  # its driver counts no rows of a WITH … INSERT
            cur.execute("SELECT changes()")
            return cur.fetchone()[0]
        return cur.rowcount


def max_attempts() -> int:
    return int(getattr(settings, "MILEAGE_NOTICE_MAX_ATTEMPTS", 5))


# Notices a member may opt out of (알림 수신 설정): reminders and campaigns. Every other kind
# (payments, decisions, voids, appeals, expiry of their mileage) is essential and always goes.
NON_ESSENTIAL_KINDS = frozenset({"window.opens", "window.closes"})
NON_ESSENTIAL_PREFIXES = ("campaign", "reminder")

# What each kind of notice is called on the city's page (알림 발송 현황).
KIND_LABELS: dict[str, str] = {
    "reading.decision": "주행거리 심사 결과",
    "cycle.void": "평가 주기 무효",
    "appeal.message": "이의신청 답변",
    "appeal.decision": "이의신청 결과",
    "window.opens": "제출 기간 시작 안내",
    "window.closes": "제출 기간 마감 안내",
    "mileage-awarded": "마일리지 지급",
    "mileage-expiring": "마일리지 소멸 예정",
    "expiry": "마일리지 소멸",
    "donation": "기부",
    "spend": "마일리지 사용",
    "pilot.void": "시범사업 참여 무효",
    "walk.held.decision": "보류된 걸음 결정",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "기타 알림")


def is_essential(kind: str) -> bool:
    return kind not in NON_ESSENTIAL_KINDS and not kind.startswith(NON_ESSENTIAL_PREFIXES)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before try `attempts + 1`: MILEAGE_NOTICE_RETRY_SECONDS doubled after each
    failed try (60 s, 2 min, 4 min, ...), at most MILEAGE_NOTICE_RETRY_MAX_SECONDS."""
    base = float(getattr(settings, "MILEAGE_NOTICE_RETRY_SECONDS", 60))
    most = float(getattr(settings, "MILEAGE_NOTICE_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(most, base * 2 ** max(0, attempts - 1)))


def rate_limits() -> dict[str, int]:
    """Messages per minute each channel's gateway takes (a channel not named: no limit)."""
    return {k: int(v) for k, v in getattr(settings, "MILEAGE_NOTICE_RATE_PER_MINUTE", {}).items()}


def channel_plan(user: Any, preference: NoticePreference | None) -> list[str]:
    """The channels a message goes by: the member's choices that can reach them, in
    `channels.ORDER`; a chosen channel that cannot (no phone number, no address, no gateway)
    falls back to the next one that can. No preference: SMS if possible, else e-mail."""
    reachable = [name for name in channels.ORDER if get_channel(name).address(user)]
    if preference is None:
        return reachable[:1]
    chosen = [name for name in channels.ORDER if getattr(preference, name, False)]
    plan = [name for name in chosen if name in reachable]
    if len(plan) < len(chosen):  # a chosen channel cannot reach them: the next one that can
        plan += [name for name in reachable if name not in plan][: len(chosen) - len(plan)]
    return plan


def _take_quota(needs: Counter[str], now: dt.datetime) -> dict[str, int]:
    """Take up to `needs[channel]` sends from each channel's rate-limit window (in the caller's
    transaction, under the quota rows' locks, in channel order: deliverers never deadlock and
    never exceed the limit together). Returns what each channel granted."""
    limits = rate_limits()
    limited = sorted(c for c in needs if c in limits)
    granted = {c: n for c, n in needs.items() if c not in limits}
    if not limited:
        return granted
    ChannelQuota.objects.bulk_create(
        [ChannelQuota(channel=c) for c in limited], ignore_conflicts=True
    )
    window = now.replace(second=0, microsecond=0)
    for quota in (
        ChannelQuota.objects.select_for_update().filter(channel__in=limited).order_by("channel")
    ):
        used = quota.used if quota.window_start == window else 0
        take = max(0, min(needs[quota.channel], limits[quota.channel] - used))
        ChannelQuota.objects.filter(pk=quota.pk).update(window_start=window, used=used + take)
        granted[quota.channel] = take
    return granted


def _lease() -> dt.timedelta:
    """How long a deliverer holds one message: long enough to try it on every channel up to
    the time limit. Claimed with the batch, renewed just before the message is sent (`_renew`);
    a deliverer that died gives its messages back within this time."""
    return dt.timedelta(seconds=len(channels.ORDER) * channels.timeout_seconds() + 30)


def _renew(message: OutboxMessage) -> bool:
    """Compare-and-set: hold `message` for another lease if it is still held by this
    deliverer's claim (its lease may have run out while earlier messages were sent, and another
    deliverer may have taken it since: then it is theirs, and this one skips it)."""
    lease = timezone.now() + _lease()
    held = OutboxMessage.objects.filter(
        pk=message.pk, status=DeliveryStatus.PENDING, claimed_until=message.claimed_until
    ).update(claimed_until=lease)
    message.claimed_until = lease
    return held == 1


def _claim(size: int, last_id: int, now: dt.datetime, counts: dict[str, int]) -> Any:
    """Step 1, one short transaction: lock up to `size` due pending messages after `last_id`
    (SKIP LOCKED: never one another deliverer holds), settle the opted-out and unreachable
    ones, take rate-limit quota for the rest and claim what fits until the lease ends.
    Returns ([(message, channels to try)], the last id seen), or None when nothing is due."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(status=DeliveryStatus.PENDING, id__gt=last_id)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("id")[:size]
        )
        if not rows:
            return None
        prefs = {
            p.user_id: p
            for p in NoticePreference.objects.filter(user_id__in={m.user_id for m in rows})
        }
        plans: list[tuple[OutboxMessage, list[str]]] = []
        for message in rows:
            preference = prefs.get(message.user_id)
            if preference and not preference.non_essential and not is_essential(message.kind):
                OutboxMessage.objects.filter(pk=message.pk).update(
                    status=DeliveryStatus.SKIPPED, last_error="수신 거부 (안내·홍보 알림)"
                )
                counts["skipped"] += 1
                continue
            done = set(filter(None, message.sent_channels.split(",")))
            todo = [c for c in channel_plan(message.user, preference) if c not in done]
            if not todo:
                _settle(message, done, error="" if done else "알림을 받을 연락처가 없습니다.")
                counts["sent" if done else "dead"] += 1
                continue
            plans.append((message, todo))
        granted = _take_quota(Counter(c for _, todo in plans for c in todo), now)
        claimed = []
        for message, todo in plans:
            if all(granted.get(c, 0) > 0 for c in todo):
                for c in todo:
                    granted[c] -= 1
                claimed.append((message, todo))
            else:  # over a channel's rate limit: stays pending for a later pass, never dropped
                counts["deferred"] += 1
        lease = now + _lease()
        OutboxMessage.objects.filter(pk__in=[m.pk for m, _ in claimed]).update(claimed_until=lease)
        for message, _ in claimed:
            message.claimed_until = lease
        return claimed, rows[-1].id


def _settle(message: OutboxMessage, done: set[str], *, error: str) -> None:
    ordered = ",".join(c for c in channels.ORDER if c in done)
    if done:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            sent_channels=ordered,
            channel=ordered,  # the channels it went by ("sms,email"), for the city's counts
            claimed_until=None,
        )
    else:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=DeliveryStatus.DEAD, last_error=error[:200], claimed_until=None
        )


def _deliver_one(message: OutboxMessage, todo: list[str]) -> str:
    """Step 2, no lock held while the gateways answer: send a claimed message by each channel
    still to do; each channel that takes it is written down at once (never sent twice by it).
    Returns "sent", "retry" (tried again after the backoff) or "dead" (the last try failed)."""
    errors: list[str] = []
    limit = channels.timeout_seconds()
    for name in todo:
        channel = get_channel(name)
        notice = channels.Notice(
            key=message.key,
            kind=message.kind,
            subject=message.subject,
            body=message.body,
            address=channel.address(message.user),
        )
        try:
            receipt = channels.call_with_timeout(channel, notice, limit)
        except Exception as error:  # refused or no answer in time: a failed try
            log.warning("notice %s not delivered by %s: %r", message.key, name, error)
            errors.append(channels.describe_error(name, error))
            continue
        with transaction.atomic():
            channel.record(notice, receipt)
            sent = ",".join(filter(None, [message.sent_channels, name]))
            OutboxMessage.objects.filter(pk=message.pk).update(sent_channels=sent)
            message.sent_channels = sent
    done = set(filter(None, message.sent_channels.split(",")))
    if not errors:
        _settle(message, done, error="")
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        return "sent"
    attempts = message.attempts + 1
    dead = attempts >= max_attempts()
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=" / ".join(errors)[:200],
        status=DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
        next_attempt_at=None if dead else timezone.now() + backoff(attempts),
        claimed_until=None,
    )
    return "dead" if dead else "retry"


def deliver_pending(
    *, batch: int = 100, limit: int | None = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Deliver due pending messages in id order through their channels; returns counts by
    outcome: sent, retry (failed, tried again after the backoff), dead (the last try failed:
    발송 실패, the last error kept), skipped (opted out: 수신 거부), deferred (over a channel's
    rate limit: left pending for the next pass).

    Per batch: `_claim` (one short transaction, SKIP LOCKED, rate-limit quota) then
    `_deliver_one` per claimed message with no lock held while the gateways answer. Deliverers
    side by side take different messages; a message is sent at most once per key and channel.
    Stops when nothing due is left, or after `limit` messages."""
    counts = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "deferred": 0}
    last_id = 0
    while limit is None or sum(counts.values()) < limit:
        size = batch if limit is None else min(batch, limit - sum(counts.values()))
        claimed = _claim(size, last_id, now or timezone.now(), counts)
        if claimed is None:
            break
        rows, last_id = claimed
        for message, todo in rows:
            if _renew(message):  # else another deliverer took it when this claim ran out
                counts[_deliver_one(message, todo)] += 1
    return counts


def deliver_soon() -> None:
    """After the current transaction commits, ask a worker for a delivery pass (eagerly, in this
    process, without a broker). A broker that is down is no error here: the messages are safe in
    the outbox and beat's minute job delivers them."""

    def enqueue() -> None:
        from .tasks import deliver_notices

        try:
            deliver_notices.delay()
        except Exception as error:  # broker unreachable: beat's next pass delivers them
            log.warning("delivery pass not queued (%r); the minute job will deliver", error)

    transaction.on_commit(enqueue)


def delivery_report(since: dt.date) -> list[dict[str, Any]]:
    """The city's 알림 발송 현황: per day (written), kind and channel, how many messages are
    pending, sent, dead (발송 실패) and skipped (수신 거부), newest day first."""
    rows = (
        OutboxMessage.objects.filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "kind", "channel")
        .annotate(
            total=Count("id"),
            **{
                status.value: Count("id", filter=Q(status=status.value))
                for status in DeliveryStatus
            },
        )
        .order_by("-day", "kind", "channel")
    )
    return [
        {
            **row,
            "kind_label": kind_label(row["kind"]),
            "channel_label": " · ".join(
                channels.LABELS.get(c, c) for c in row["channel"].split(",") if c
            ),
        }
        for row in rows
    ]


def channel_totals(since: dt.date) -> list[dict[str, Any]]:
    """Per channel, the same counts over the whole period (the page's summary)."""
    rows = (
        OutboxMessage.objects.filter(created_at__date__gte=since)
        .values("channel")
        .annotate(
            total=Count("id"),
            **{
                status.value: Count("id", filter=Q(status=status.value))
                for status in DeliveryStatus
            },
        )
        .order_by("channel")
    )
    return [
        {
            **row,
            "channel_label": " · ".join(
                channels.LABELS.get(c, c) for c in row["channel"].split(",") if c
            ),
        }
        for row in rows
    ]


def recent_failures(count: int = 50) -> list[OutboxMessage]:
    """The newest dead messages (발송 실패) with their last error, for the city's page."""
    return list(
        OutboxMessage.objects.filter(status=DeliveryStatus.DEAD)
        .select_related("user")
        .order_by("-id")[:count]
    )
