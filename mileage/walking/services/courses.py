"""WALK-7: the published courses and the optional completion check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ..course_data import COURSES
from ..models import Course, CourseCompletion


def publish_seed_courses() -> int:
    """Create or refresh the five courses the seed names (idempotent, by slug)."""
    for data in COURSES:
        Course.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
    return len(COURSES)


def complete_course(
    member: Any, course: Course, *, today: dt.date | None = None
) -> CourseCompletion:
    """A member says they walked the course today (at most once a day)."""
    done, _ = CourseCompletion.objects.get_or_create(
        course=course, member=member, on=today or timezone.localdate()
    )
    return done
