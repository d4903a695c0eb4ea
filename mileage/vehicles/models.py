"""Vehicles enrolled in eco-mileage for cars (에코마일리지 승용차): ECO-1, ECO-11, ECO-13."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models


class Kind(models.TextChoices):
    PASSENGER = "passenger", "승용"
    VAN = "van", "승합"
    TRUCK = "truck", "화물"
    SPECIAL = "special", "특수"


class Use(models.TextChoices):
    PRIVATE = "private", "비사업용"
    COMMERCIAL = "commercial", "사업용"


class Fuel(models.TextChoices):
    # The RULES-CLI fuel words.
    GASOLINE = "gasoline", "휘발유"
    DIESEL = "diesel", "경유"
    LPG = "lpg", "LPG"
    HYBRID = "hybrid", "하이브리드"
    ELECTRIC = "electric", "전기"
    HYDROGEN = "hydrogen", "수소"


class Status(models.TextChoices):
    ACTIVE = "active", "참여 중"
    ENDED = "ended", "참여 종료"  # ECO-11: transfer or deregistration
    CHANGED = "changed", "차량 변경됨"  # ECO-13: replaced by another vehicle


class EndReason(models.TextChoices):
    # The RULES-CLI `ended.reason` words.
    TRANSFER = "transfer", "명의이전"
    DEREGISTRATION = "deregistration", "말소"


class Channel(models.TextChoices):
    ONLINE = "online", "홈페이지"
    WALK_IN = "walk-in", "방문 신청"  # ECO-2


class Vehicle(models.Model):
    """A car in the programme (참여 차량). A plate is enrolled at most once while active (ECO-1)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vehicles"
    )
    plate = models.CharField("차량번호", max_length=20)
    kind = models.CharField("차종", max_length=10, choices=Kind.choices)
    seats = models.PositiveSmallIntegerField("승차정원")
    use = models.CharField("용도", max_length=12, choices=Use.choices)
    fuel = models.CharField("연료", max_length=10, choices=Fuel.choices)
    first_registered_on = models.DateField("최초 자동차등록일")
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="vehicles"
    )  # district of registration: whose officials review it (ECO-3)
    co_owners = models.JSONField("공동소유자", default=list, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )  # the citizen, or the official at a walk-in enrolment
    enrolled_at = models.DateTimeField("참여 신청일시", auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField("참여 종료일", null=True, blank=True)
    end_reason = models.CharField(max_length=15, choices=EndReason.choices, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successor"
    )  # ECO-13: the vehicle this one replaced; the participation continues
    changed_on = models.DateField("차량 변경일", null=True, blank=True)
    # The audit trail entries about this vehicle (`core.AuditEntry.subject`; no column here).
    audit = GenericRelation(
        "core.AuditEntry",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="vehicle",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            # ECO-1: a vehicle is enrolled at most once, also under simultaneous requests.
            models.UniqueConstraint(
                fields=["plate"],
                condition=models.Q(status="active"),
                name="vehicle_plate_enrolled_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_on__isnull=False),
                name="vehicle_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.plate

    @property
    def root(self) -> Vehicle:
        """The first vehicle of this participation (ECO-13 chains)."""
        vehicle = self
        while vehicle.previous_id is not None:
            vehicle = vehicle.previous
        return vehicle
