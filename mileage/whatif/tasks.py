"""Celery tasks of the budget what-if: one task per chunk, fanned out over the workers, the last
chunk to finish adds them up (as the evaluation runs do, `evaluations.tasks`).

    simulate(sim_id)               -> a group of simulate_chunk(sim_id, n), one per chunk left
    simulate_chunk(sim_id, n)      -> the chunk's summary under both parameter sets, then finish

Without a broker (the embedded default) they run eagerly, in the web request. A chunk that
fails marks the what-if failed with the reason (nothing else was written, so nothing to undo)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from celery import current_app, group, shared_task

from mileage.evaluations.errors import BrokerUnavailable
from mileage.evaluations.tasks import BROKER_ERRORS, check_broker

from . import services
from .models import Simulation, SimulationStatus

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def simulate(sim_id: int) -> str:
    sim = Simulation.objects.get(pk=sim_id)
    todo = services.chunks_left(sim) if sim.status == SimulationStatus.RUNNING else []
    if todo:
        group(simulate_chunk.si(sim_id, number) for number in todo).apply_async()
    else:
        services.finish(sim)
    sim.refresh_from_db()
    return sim.status


@shared_task(acks_late=True)
def simulate_chunk(sim_id: int, number: int) -> str:
    sim = Simulation.objects.get(pk=sim_id)
    if sim.status != SimulationStatus.RUNNING:
        return sim.status
    try:
        services.compute_chunk(sim, number)
    except Exception as exc:  # the page shows it; the what-if wrote nothing else to undo
        log.exception("what-if %s chunk %s failed", sim_id, number)
        services.fail(sim, f"{number + 1}번째 묶음을 계산하지 못했습니다: {exc}")
        return SimulationStatus.FAILED
    return services.finish(sim).status


def start_simulation(
    manager: Any,
    programme: str,
    window_from: dt.date | None,
    window_to: dt.date | None,
    changes: list[Mapping[str, str]],
    *,
    chunk_size: int = 50_000,
) -> Simulation:
    """Check and create the what-if, then hand it to the workers (eagerly without a broker).
    A broker configured but down refuses it (BrokerUnavailable, Korean 503), leaving nothing."""
    check_broker()
    sim = services.start(manager, programme, window_from, window_to, changes, chunk_size=chunk_size)
    try:
        simulate.delay(sim.pk)
    except BROKER_ERRORS as error:
        if current_app.conf.task_always_eager:
            raise
        log.warning("what-if %s not queued, deleted again: %r", sim.pk, error)
        sim.delete()
        raise BrokerUnavailable() from None
    return sim
