"""Budget what-ifs (정책 시뮬레이션, issue #14): a programme, a window and changed parameters,
evaluated over the real population with the current and the proposed parameters side by side.

A what-if writes only these rows: never a run, a result, a posting or a notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SimulationStatus(models.TextChoices):
    RUNNING = "running", "계산 중"
    DONE = "done", "완료"
    FAILED = "failed", "실패"


class Simulation(models.Model):
    programme = models.CharField(max_length=20)  # a whatif.programmes code (eco-car, pilot-2014)
    window_from = models.DateField("업로드 기간 시작")
    window_to = models.DateField("업로드 기간 끝")
    # The changed parameters, shaped like `mileage rules eval --parameters FILE`:
    # {"eco.regular_km_tiers": {"2000-01-01": {"value": [...], "source": "정책 시뮬레이션"}}}
    overrides = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=SimulationStatus.choices, default=SimulationStatus.RUNNING
    )
    chunk_size = models.PositiveIntegerField(default=50_000)
    chunks_total = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # compute.merge of the chunks' parts
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"정책 시뮬레이션 #{self.pk}"


class SimulationChunk(models.Model):
    """A slice of participations (first-vehicle ids first..last), computed in one task."""

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_vehicle_id = models.BigIntegerField()
    last_vehicle_id = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    part = models.JSONField(default=dict, blank=True)  # compute.summarise of this chunk

    class Meta:
        ordering = ["simulation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["simulation", "number"], name="whatif_chunk_unique")
        ]
