"""Notifier adapter and its transactional outbox: tell people of decisions, payments and windows.

Writing a message and delivering it are two steps:

1. **Write** (`get_notifier().send(...)` for one message, `send_set(queryset)` for thousands in
   one INSERT … SELECT): a pending `OutboxMessage` row, in the caller's database transaction,
   once per `key`. The message exists exactly when the decision or payment it tells of does: a
   crash loses both or neither, and a repeated or resumed job writes no second row.
2. **Deliver** (`deliver_pending()`, the Celery task `mileage.core.tasks.deliver_notices`, run
   every minute by beat and after each paid chunk): pending rows, locked with SKIP LOCKED so no
   two deliverers take the same one, go through the notifier's `deliver(message)` and are marked
   sent (or, after `MILEAGE_NOTICE_MAX_ATTEMPTS` failures, failed).

`settings.MILEAGE_NOTIFIER` names the notifier class. The local `OutboxNotifier` delivers by
logging (the demo shows the rows at /eco/outbox/); a production notifier subclasses it and
sends e-mail / SMS in `deliver`, passing `message.key` to the gateway as its idempotency key
(a deliverer killed between the gateway's answer and its commit hands the same rows over again).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.db.models import CharField, F, Func, QuerySet
from django.db.models.query import ValuesListIterable
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DeliveryStatus, OutboxMessage

log = logging.getLogger(__name__)

# send_set's rows: the queryset's five values, in this order
MESSAGE_COLUMNS = ("user_id", "kind", "subject", "body", "key")


class Notifier(Protocol):
    def send(self, user: Any, *, kind: str, subject: str, body: str, key: str) -> bool: ...

    def deliver(self, message: OutboxMessage) -> None: ...


class OutboxNotifier:
    """Writes one pending outbox row per message (a repeated key is written once); delivers
    locally by logging."""

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

    def deliver(self, message: OutboxMessage) -> None:
        """Hand one message to the e-mail / SMS gateway; raise if it refuses (tried again)."""
        log.info("notice %s to user %s by %s", message.key, message.user_id, message.channel)


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
            "body, key, created_at, status, attempts, last_error) "
            f"SELECT {col['user_id']}, {channel}, {col['kind']}, "
            f"{col['subject']}, {col['body']}, {col['key']}, %s, %s, 0, '' "
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


def deliver_pending(*, batch: int = 500, limit: int | None = None) -> dict[str, int]:
    """Deliver pending messages in id order through the notifier; returns counts by outcome.

    Each batch is one transaction: its rows are locked `FOR UPDATE SKIP LOCKED` (deliverers
    running side by side take different rows, so none delivers a message another holds), handed
    to `notifier.deliver` one by one and marked sent in the same transaction. A message the
    gateway refuses stays pending (tried on the next pass) until it has failed
    `max_attempts()` times, then it is marked failed. Stops when nothing pending is left, or
    after `limit` messages.
    """
    notifier = get_notifier()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    last_id = 0
    most = max_attempts()
    while limit is None or sum(counts.values()) < limit:
        size = batch if limit is None else min(batch, limit - sum(counts.values()))
        with transaction.atomic():
            rows = list(
                OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(status=DeliveryStatus.PENDING, id__gt=last_id)
                .order_by("id")[:size]
            )
            if not rows:
                break
            last_id = rows[-1].id
            sent: list[int] = []
            for message in rows:
                try:
                    notifier.deliver(message)
                except Exception as error:  # the gateway refused: counted, tried again later
                    log.warning("notice %s not delivered: %r", message.key, error)
                    failed = message.attempts + 1 >= most
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        attempts=F("attempts") + 1,
                        last_error=repr(error)[:200],
                        status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
                    )
                    counts["failed" if failed else "retry"] += 1
                else:
                    sent.append(message.pk)
            OutboxMessage.objects.filter(pk__in=sent).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
            )
            counts["sent"] += len(sent)
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
