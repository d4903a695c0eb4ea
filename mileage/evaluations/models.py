"""Evaluation runs (ECO-5..16): which cycles a run evaluated, their outcomes, and payment."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Programme(models.TextChoices):
    ECO_CAR = "eco-car", "에코마일리지 승용차"
    ECO_SEASONAL = "eco-seasonal", "에코마일리지 계절관리제 특별포인트"  # ECO-15


class RunStatus(models.TextChoices):
    EVALUATING = "evaluating", "평가 중"
    EVALUATED = "evaluated", "평가 완료 (미리보기)"
    SIGNED_OFF = "signed-off", "승인됨"
    PAID = "paid", "지급 완료"
    CANCELLED = "cancelled", "취소됨"


class EvaluationRun(models.Model):
    """ECO-12: one run over the closing readings uploaded in a window (two months, odd-month run).

    A run covers the annual readings (ECO-5..10) and early ends (ECO-11) whose closing reading
    was uploaded in [window_from, window_to]. Two live runs for the same programme and window
    are refused by a unique constraint (the second start gets `RunAlreadyExists`).
    """

    programme = models.CharField(
        max_length=20, choices=Programme.choices, default=Programme.ECO_CAR
    )
    window_from = models.DateField("업로드 기간 시작")
    window_to = models.DateField("업로드 기간 끝")
    status = models.CharField(
        max_length=12, choices=RunStatus.choices, default=RunStatus.EVALUATING
    )
    chunk_size = models.PositiveIntegerField(default=5000)
    chunks_total = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)  # the reason of a cancelled run
    # The scheduler's run (ECO-12 / ECO-15 jobs): "eco-12:<window_from>:<window_to>", unique over
    # all runs (cancelled too), so a job run twice, or again after a cancel, creates nothing.
    schedule_key = models.CharField(max_length=60, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "window_from", "window_to"],
                condition=~models.Q(status="cancelled"),
                name="evaluations_one_live_run_per_window",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_programme_display()} {self.window_from:%Y-%m-%d}~{self.window_to:%Y-%m-%d}"
        )


class RunChunk(models.Model):
    """A slice of participations (vehicle ids first..last); evaluated and paid atomically."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_vehicle_id = models.BigIntegerField()
    last_vehicle_id = models.BigIntegerField()
    evaluated_at = models.DateTimeField(null=True, blank=True)
    results = models.PositiveIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="evaluations_chunk_unique")
        ]


class ResultStatus(models.TextChoices):
    AWARDED = "awarded", "지급 대상"
    NO_AWARD = "no-award", "미지급"
    VOID = "void", "무효"
    NOT_EVALUATED = "not-evaluated", "평가 제외"


class Result(models.Model):
    """One evaluated cycle in a run, as the batch rules engine decided it (with its reasons)."""

    # Indexed by (run, chunk) and (run, key) below, not separately.
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    chunk = models.PositiveIntegerField()
    vehicle_id = models.BigIntegerField()  # the participation's first vehicle
    owner_id = models.BigIntegerField(db_index=True)
    district_code = models.CharField(max_length=5)
    plate = models.CharField(max_length=20)
    cycle = models.PositiveSmallIntegerField()
    start_on = models.DateField()
    end_on = models.DateField()
    days = models.IntegerField()
    baseline_km = models.FloatField(null=True)  # display values (E-13); decisions were exact
    driven_km = models.FloatField(null=True)
    reduction_km = models.FloatField(null=True)
    reduction_pct = models.FloatField(null=True)
    status = models.CharField(max_length=14, choices=ResultStatus.choices)
    kind = models.CharField(max_length=12, blank=True)  # regular, maintenance
    tier = models.PositiveIntegerField(default=0)  # table award before pro-rating (rules batch)
    mileage = models.IntegerField()
    payment_on = models.DateField(null=True)
    reasons = models.CharField(max_length=120)  # clause IDs, most decisive first
    key = models.CharField(max_length=80)  # ledger idempotency key: (programme, vehicle, cycle)

    class Meta:
        ordering = ["vehicle_id", "cycle"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="evaluations_result_unique")
        ]
        indexes = [models.Index(fields=["run", "chunk"], name="evaluations_result_chunk")]
