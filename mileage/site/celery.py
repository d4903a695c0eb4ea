"""Celery application: eager in the embedded default, Redis/RabbitMQ when CELERY_BROKER_URL is set."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")


def make_app(**overrides: Any) -> Celery:
    """The project's Celery app from Django settings (CELERY_*), with optional overrides.

    An app made with overrides (a test's broker, a benchmark's client) does not become the
    current app: the shared tasks keep using the project's app unless it is made current."""
    celery_app = Celery("mileage", set_as_current=not overrides)
    celery_app.config_from_object("django.conf:settings", namespace="CELERY")
    if overrides:
        celery_app.conf.update(**overrides)
    celery_app.autodiscover_tasks()
    return celery_app


app = make_app()
