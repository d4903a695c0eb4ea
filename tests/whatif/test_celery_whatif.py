"""The what-if on a real Celery worker (Redis, the PostgreSQL test database): the page's entry
point queues one task per chunk, the worker's pool processes take them, the last one adds the
chunks up; the sum equals the same what-if computed in this process, and a broker that is down
refuses the what-if leaving nothing behind.

Needs CELERY_TEST_BROKER_URL (CI's PostgreSQL pass); the Redis database it names is emptied."""

from __future__ import annotations

import os

import pytest

from benchmarks.synthetic_vehicles import load
from mileage.evaluations.errors import BrokerUnavailable
from mileage.evaluations.models import EvaluationRun
from mileage.whatif import services, tasks
from mileage.whatif.models import Simulation, SimulationChunk, SimulationStatus
from tests.celery_support import (
    celery_app,
    closed_port,
    flush_broker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.evaluations.conftest import WINDOW
from tests.factories import city_manager

from .test_whatif import EVERY_TIER_PLUS_10000

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_TEST_BROKER_URL"), reason="CELERY_TEST_BROKER_URL is not set"
    ),
]


@pytest.fixture
def broker():  # type: ignore[no-untyped-def]
    url = os.environ["CELERY_TEST_BROKER_URL"]
    flush_broker(url)
    with celery_app(broker_url=url, task_always_eager=False):
        yield url
    flush_broker(url)


def test_the_chunks_run_on_a_worker_and_add_up_to_the_in_process_what_if(broker) -> None:  # type: ignore[no-untyped-def]
    load(60, WINDOW[0], tag="wic")
    manager = city_manager()
    worker = start_worker(broker, concurrency=2)
    try:
        sim = tasks.start_simulation(
            manager, "eco-car", *WINDOW, EVERY_TIER_PLUS_10000, chunk_size=10
        )
        assert sim.chunks_total == 6
        done = Simulation.objects.filter(pk=sim.pk).exclude(status=SimulationStatus.RUNNING)
        wait_for(done.exists, "the what-if on the worker", worker=worker)
    finally:
        stop_worker(worker)
    sim.refresh_from_db()
    assert sim.status == SimulationStatus.DONE, sim.error
    assert SimulationChunk.objects.filter(simulation=sim, done_at__isnull=True).count() == 0
    here = services.run_simulation(
        services.start(manager, "eco-car", *WINDOW, EVERY_TIER_PLUS_10000, chunk_size=60)
    )
    assert sim.summary == here.summary and sim.summary["current"]["cycles"] == 60
    assert not EvaluationRun.objects.exists()


def test_a_broker_that_is_down_refuses_the_what_if() -> None:
    with (
        celery_app(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False),
        pytest.raises(BrokerUnavailable),
    ):
        tasks.start_simulation(city_manager(), "eco-car", *WINDOW, EVERY_TIER_PLUS_10000)
    assert not Simulation.objects.exists()
