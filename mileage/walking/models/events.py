"""Campaign events (걸어서 출근한데이, 고궁 걷기) and bonus days such as the 11th (WALK-5, WALK-3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """WALK-5: a walking event with registration, check-in and participant counts."""

    slug = models.SlugField(unique=True)
    title = models.CharField("행사", max_length=100)
    description = models.TextField("설명", blank=True)
    place = models.CharField("장소", max_length=100, blank=True)
    on = models.DateField("날짜")
    capacity = models.PositiveIntegerField("정원", null=True, blank=True)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walking_events"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="walking_one_registration")
        ]


class BonusDay(models.Model):
    """WALK-3 bonus: a multiplier on a day's mileage, e.g. 걷기의 날 on the 11th of each month.

    Either a `day_of_month` (every month) or a single date range; `multiplier` applies to the
    capped day amount. [interp] WALK-3: the bonus multiplies the capped amount (so the 11th pays
    at most cap × multiplier); several matching bonuses do not stack: the largest wins.
    """

    name = models.CharField("이름", max_length=100)
    multiplier = models.DecimalField("배수", max_digits=4, decimal_places=2)
    day_of_month = models.PositiveSmallIntegerField("매월 일자", null=True, blank=True)
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(multiplier__gte=1), name="walking_bonus_not_a_penalty"
            )
        ]

    def __str__(self) -> str:
        return self.name
