"""Fair play (부정 걸음 방지, WALK-1 [interp]): the extras a source sends with a day, and the days
the accrual held for review instead of paying.

`StepExtra` is a side table of `StepReport`: only rows that carry extras (hand-entered steps, an
hourly series, a device) get one, so the 700-million-row step table keeps its four columns. On
PostgreSQL it is partitioned by month like the step reports (migration 0009,
`walking.partitions`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StepExtra(models.Model):
    """WALK-1 [interp]: what a source said about one of its member-day totals besides the total."""

    pk = models.CompositePrimaryKey("member_id", "on", "source_id")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    on = models.DateField()
    source = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    manual_steps = models.PositiveIntegerField(default=0)  # entered by hand (≤ the total)
    hourly = models.JSONField(null=True, blank=True)  # 24 per-hour counts summing to the total
    device = models.CharField(max_length=64, blank=True)  # keyed hash of the partner's device id

    class Meta:
        indexes = [
            models.Index(fields=["on", "member"], name="walking_extra_on_member"),
            models.Index(fields=["on", "device"], name="walking_extra_on_device"),
        ]


class HeldStatus(models.TextChoices):
    HELD = "held", "보류"
    PAID = "paid", "지급"
    REFUSED = "refused", "지급 안 함"


class HeldKind(models.TextChoices):
    DAY = "day", "걸음"  # the day's accrual (WALK-3)
    TOPUP = "topup", "늦게 받은 걸음"  # a late-sync top-up of a paid day (WALK-1/WALK-3 [interp])


class HeldDay(models.Model):
    """WALK-1 [interp]: a counted member-day the accrual did not pay because of fair-play flags,
    or (kind `topup`) a late larger total of a paid day the top-up pass did not pay.

    A day is paid later only through the day's own ledger key (`walk:day:<member>:<date>`) and
    its `DayAccrual` claim; a late total only through the top-up chain (`DayTopUp` claim from
    `paid_before`, key `walk:topup:<member>:<date>:<paid_before + mileage>`): a decision and a
    rerun never pay it twice. One row per (member, day, kind, paid_before): a day held, paid by
    the city, then re-sent larger and flagged again gets a second row (paid_before = its pay).
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_walk_days"
    )
    on = models.DateField()
    kind = models.CharField(max_length=5, choices=HeldKind.choices, default=HeldKind.DAY)
    paid_before = models.PositiveIntegerField(default=0)  # topup: the day's paid total before it
    steps = models.PositiveIntegerField()
    mileage = models.PositiveIntegerField()  # what the day (or the top-up) would add (WALK-3)
    flags = models.JSONField(default=list)  # [{"code", "reason", "clause"}]
    codes = models.CharField(max_length=120, blank=True)  # " manual cadence " for filtering
    status = models.CharField(max_length=8, choices=HeldStatus.choices, default=HeldStatus.HELD)
    run = models.ForeignKey(  # the accrual run that held the day (kind `day`)
        "AccrualRun", on_delete=models.PROTECT, related_name="+", db_constraint=False, null=True
    )
    topup_run = models.ForeignKey(  # the top-up pass that held the late total (kind `topup`)
        "TopUpRun", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    held_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    appeal = models.TextField(blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "on", "kind", "paid_before"], name="walking_held_day_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "on"], name="walking_held_status_on")]

    def reasons(self) -> list[str]:
        return [f["reason"] for f in self.flags]

    @property
    def late(self) -> bool:
        return self.kind == HeldKind.TOPUP
