"""Walking courses (걷기 좋은 길, WALK-7): route as GeoJSON, drawn server-side as SVG."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Course(models.Model):
    slug = models.SlugField(unique=True)
    name_ko = models.CharField("코스", max_length=60)
    name_en = models.CharField(max_length=80, blank=True)
    district = models.CharField("자치구", max_length=40, blank=True)
    description = models.TextField("설명")
    length_km = models.DecimalField("거리(km)", max_digits=5, decimal_places=1)
    minutes = models.PositiveIntegerField("소요 시간(분)")
    route = models.JSONField()  # GeoJSON LineString, [lon, lat] (WGS84)
    stamps_in_order = models.BooleanField("스탬프를 순서대로 찍어야 함", default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name_ko


class CourseCompletion(models.Model):
    """A member's own note that they walked the course on a day (once per day).

    Self-declared, so it never completes a stamp challenge: those count the partner apps'
    check-ins at the stamp points (`StampCheckIn`)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walked_courses"
    )
    on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "member", "on"], name="walking_one_walk_a_day"
            )
        ]
