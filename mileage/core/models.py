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
    FAILED = "failed", "발송 실패"


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


class JobResult(models.Model):
    """The last outcome of each scheduled job (the beat schedule's tasks), for the city's
    schedule page: written by `mileage.core.jobs` when such a task ends (no result backend)."""

    task = models.CharField(max_length=200, unique=True)
    finished_at = models.DateTimeField()
    ok = models.BooleanField(default=True)
    summary = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.task
