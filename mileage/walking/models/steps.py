"""Daily step totals per member and source (WALK-1) and the accrual bookkeeping (WALK-3).

`StepReport` is the big table (≈ 700 million rows a year at 2 million walkers). On PostgreSQL it
is partitioned by RANGE (on), one partition per month and a DEFAULT one (migration 0007,
`walking.partitions`); its primary key (member, on, source) contains the partition column, as a
partitioned table's must. See docs/apps.md "Walking mileage".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StepReport(models.Model):
    """WALK-1: one source's total for one member-day. A re-send replaces `steps`, never adds."""

    pk = models.CompositePrimaryKey("member_id", "on", "source_id")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    on = models.DateField()
    source = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    steps = models.PositiveIntegerField()
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["on", "member"], name="walking_step_on_member")]
        # The upper bound is the dated parameter walk.absurd_daily_steps, checked at the edge.
        constraints = [
            models.CheckConstraint(condition=models.Q(steps__gte=0), name="walking_steps_plausible")
        ]


class StepImport(models.Model):
    """One upload (API request or CSV file) from a partner, with its counts, for the audit trail."""

    class Channel(models.TextChoices):
        API = "api", "API"
        CSV = "csv", "CSV 파일"

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=3, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first rejected rows, for the page
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class DayAccrual(models.Model):
    """WALK-3: the mileage a member-day earned; one row per member-day (ledger key walk:day:...).

    Kept lean because the daily job writes two million of them: the primary key is the
    member-day itself and no foreign key is checked per row (the batch inserts only ids it read).
    """

    pk = models.CompositePrimaryKey("member_id", "on")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    on = models.DateField()
    steps = models.PositiveIntegerField()
    mileage = models.PositiveIntegerField()
    run = models.ForeignKey(
        "AccrualRun", on_delete=models.PROTECT, related_name="accruals", db_constraint=False
    )


class AccrualRun(models.Model):
    """One run of the daily accrual job for a date: what it did, for the audit trail.

    Its chunks are paid by Celery tasks; the totals grow as each chunk commits, and the chunk
    that brings `chunks_done` to `chunks_total` sets `finished_at` (once, in its transaction).
    """

    on = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=60, default="scheduler")
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    member_days = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # already paid by an earlier run
    held = models.PositiveIntegerField(default=0)  # fair play: held for review, not paid
    mileage_total = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class AccrualChunk(models.Model):
    """WALK-3: one slice of a run's members (ids first..last), paid by one Celery task.

    `done_at` is the chunk's claim: the task sets it first thing in its transaction, so a second
    delivery of the same task waits for the first one's commit and then finds the chunk done.
    """

    run = models.ForeignKey(AccrualRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_member_id = models.BigIntegerField()
    last_member_id = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the process that paid it
    member_days = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    mileage_total = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="walking_accrual_chunk_unique")
        ]
