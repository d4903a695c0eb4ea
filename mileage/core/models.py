"""The platform's shared tables: one audit trail for every app, and the notifier's outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Every decision and submission, in any app: who (a person and/or a partner), when, what, why.

    `subject` is the object the entry is about (a vehicle, a pilot enrolment, ...), `refs` the
    ids of the other objects involved, by name (e.g. `{"reading": 12, "cycle": 3}`). Apps write
    through `mileage.core.audit.record` and read their part through their `queries.py`.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    refs = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject")]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "발송 대기"
    SENT = "sent", "발송됨"
    DEAD = "dead", "발송 실패"  # the dead letter: every try failed; the last error is kept
    SKIPPED = "skipped", "수신 거부"  # a non-essential notice to a member who opted out


class OutboxMessage(models.Model):
    """The transactional outbox: one row per message, written in the same database transaction as
    the decision or payment it tells of (so neither exists without the other), and delivered
    later by `notify.deliver_pending` (the `deliver_notices` task) through the notifier adapter.

    `key` makes a message once-only: a repeated decision, a replayed chunk task or a resumed run
    writes no second row, and a row is delivered at most once by concurrent deliverers (row locks,
    SKIP LOCKED). The demo shows the rows at /eco/outbox/.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)  # email, sms
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    key = models.CharField(max_length=120)  # idempotent reminders and decisions (unique below)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    # Delivery (`notify.deliver_pending`): not tried again before `next_attempt_at` (backoff);
    # a deliverer holds the message until `claimed_until` while it talks to the gateways;
    # `sent_channels` lists the channels that took it ("sms,email"), each at most once.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_channels = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [  # a constraint, not unique=True: no second (LIKE) index to keep up
            models.UniqueConstraint(fields=["key"], name="core_outbox_key_once")
        ]
        indexes = [  # the deliverer's queue: only pending rows, in id order
            models.Index(
                fields=["id"],
                condition=models.Q(status="pending"),
                name="core_outbox_pending",
            )
        ]


class NoticePreference(models.Model):
    """A member's 알림 수신 설정: the channels they want notices by, and whether they take
    non-essential notices (reminders, campaigns). Essential ones (payments, decisions, voids)
    always go. No row: the default (SMS when there is a phone number, else e-mail; all notices)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    sms = models.BooleanField("문자", default=True)
    email = models.BooleanField("이메일", default=False)
    non_essential = models.BooleanField("안내·홍보 알림 받기", default=True)
    updated_at = models.DateTimeField(auto_now=True)


class ChannelQuota(models.Model):
    """A channel's rate limit window (`MILEAGE_NOTICE_RATE_PER_MINUTE`): how many messages the
    deliverers handed to it in the minute starting `window_start`. Deliverers take their share
    under this row's lock, so side-by-side deliverers never exceed the limit together."""

    channel = models.CharField(max_length=10, primary_key=True)
    window_start = models.DateTimeField(null=True, blank=True)
    used = models.PositiveIntegerField(default=0)


class JobResult(models.Model):
    """The last outcome of each scheduled job (the beat schedule's tasks), for the city's
    schedule page: written by `mileage.core.jobs` when such a task ends (no result backend)."""

    task = models.CharField(max_length=200, unique=True)
    finished_at = models.DateTimeField()
    ok = models.BooleanField(default=True)
    summary = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.task


class ChangeState(models.TextChoices):
    PROPOSED = "proposed", "승인 대기"
    APPROVED = "approved", "승인됨"
    REJECTED = "rejected", "반려됨"
    WITHDRAWN = "withdrawn", "철회됨"


class ParameterChange(models.Model):
    """A dated value of a parameter the city proposes (issue #14): once another city manager
    approves it, `current_parameters()` layers it over the YAML (`Parameters.with_overrides`).

    `key` is the entry's date (`2026-01-01`) or statistics year (`2025`), as the parameter's
    file keys it; `value` is plain JSON, checked by the rules' own parser. Approved rows are
    never edited or deleted: they are the parameter's history (who, when, why, which source).
    """

    name = models.CharField("파라미터", max_length=80)
    key = models.CharField("적용일 또는 연도", max_length=10)
    value = models.JSONField("값")
    source = models.CharField("근거 자료", max_length=300)
    reason = models.TextField("변경 사유")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=ChangeState.choices, default="proposed")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["state", "decided_at"], name="parameter_change_state")]
        constraints = [
            # four eyes (issue #14): the approver is never the proposer, also in the database
            models.CheckConstraint(
                condition=models.Q(approver__isnull=True)
                | ~models.Q(approver=models.F("proposer")),
                name="parameter_change_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.key}]"
