"""Course stamp points and the check-ins partner apps send for them (WALK-7, stamp challenges)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StampPoint(models.Model):
    """WALK-7: a point of a course to stamp (start, a landmark, the finish), in walking order."""

    course = models.ForeignKey("Course", on_delete=models.CASCADE, related_name="stamps")
    order = models.PositiveSmallIntegerField("순서")
    name = models.CharField("스탬프 지점", max_length=60)
    lat = models.DecimalField("위도", max_digits=9, decimal_places=6)
    lon = models.DecimalField("경도", max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="walking_stamp_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.order}. {self.name}"


class StampCheckIn(models.Model):
    """A partner app's check-in at a stamp point, kept only when it is within the radius
    (`walk.stamp_radius_m`); the same member, point and moment is stored once."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(StampPoint, on_delete=models.CASCADE, related_name="checkins")
    source = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    lat = models.DecimalField(max_digits=9, decimal_places=6)
    lon = models.DecimalField(max_digits=9, decimal_places=6)
    distance_m = models.PositiveIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "point", "at"], name="walking_one_checkin_a_moment"
            )
        ]
