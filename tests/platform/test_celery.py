"""Celery: eager in the embedded default; a real Redis broker and worker when CI asks for it."""

from __future__ import annotations

import os

import pytest
from celery import shared_task
from django.conf import settings

from mileage.site.celery import app, make_app


@shared_task(name="tests.platform.add")
def add(a: int, b: int) -> int:
    """A trivial task of the tests' own, to check that Celery runs."""
    return a + b


def test_tasks_run_eagerly_without_a_broker() -> None:
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured for this run")
    assert app.conf.task_always_eager
    assert add.delay(2, 3).get(timeout=1) == 5


@pytest.mark.skipif(
    not os.environ.get("CELERY_TEST_BROKER_URL"), reason="CELERY_TEST_BROKER_URL is not set"
)
def test_a_task_runs_through_a_real_redis_broker_and_worker() -> None:
    from celery.contrib.testing.worker import start_worker

    url = os.environ["CELERY_TEST_BROKER_URL"]
    broker_app = make_app(broker_url=url, result_backend=url, task_always_eager=False)
    remote_add = broker_app.task(name="tests.platform.add")(add.run)
    with start_worker(broker_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = remote_add.delay(20, 22)
        assert result.get(timeout=30) == 42
        assert result.status == "SUCCESS"
