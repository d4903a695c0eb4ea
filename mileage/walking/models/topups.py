"""Late-sync top-ups (WALK-1, WALK-3 [interp]): a larger total that arrives after its day was
paid earns the difference, once (ledger key `walk:topup:<member>:<date>:<paid total after>`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TopUpRun(models.Model):
    """One pass of the top-up job over the late-sync window, for the audit trail."""

    first_day = models.DateField()
    last_day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=60, default="scheduler")
    member_days = models.PositiveIntegerField(default=0)
    mileage_total = models.BigIntegerField(default=0)
    # late totals fair play flagged (WALK-1 [interp]): not topped up, looked at again next night
    held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class DayTopUp(models.Model):
    """One top-up of a paid member-day from `paid_before` to `paid_after` mileage.

    A member-day's top-ups form a chain from the accrual's amount upwards: the unique
    (member, on, paid_before) lets only one pass extend the chain from a given total, so two
    passes at once (reading the same paid total) never both pay, whatever totals they saw.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    on = models.DateField()
    steps = models.PositiveIntegerField()  # the counted total this top-up paid for
    paid_before = models.PositiveIntegerField()
    paid_after = models.PositiveIntegerField()
    mileage = models.PositiveIntegerField()  # paid_after - paid_before
    run = models.ForeignKey(TopUpRun, on_delete=models.PROTECT, related_name="topups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "paid_after"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "on", "paid_before"], name="walking_topup_chain"
            ),
            models.CheckConstraint(
                condition=models.Q(paid_after__gt=models.F("paid_before")),
                name="walking_topup_adds",
            ),
        ]
        indexes = [models.Index(fields=["on", "member"], name="walking_topup_on_member")]
