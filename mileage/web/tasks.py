"""A trivial task, used to check that Celery runs (eagerly or through a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mileage.web.add")
def add(a: int, b: int) -> int:
    return a + b
