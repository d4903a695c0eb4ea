"""Which programmes evaluation runs can evaluate: eco-car here, others by convention.

An app whose programme is evaluated by runs puts `RUN_PROGRAMMES: list[RunProgramme]` in
`mileage/<app>/runs.py` (found the way dashboard panels are). The run machinery (chunks, atomic
chunk evaluation, preview, sign-off, set-based payment, Celery tasks) stays here; a programme
only says which participations there are and how one chunk of them is evaluated:

    RunProgramme(
        code="pilot-2014",                       # EvaluationRun.programme, budget account
        name="승용차 마일리지 시범사업 (2014)",
        participation_ids=lambda window_from, window_to: [...],   # first-vehicle ids, ascending
        evaluate_chunk=lambda run, first_id, last_id: [...],      # rows in store.COLUMNS shape
    )

Rows carry the ledger key of their award (`key`); `pay_due` posts budget → the owner's wallet
for the rows whose `payment_on` has come, once per key (LEDGER-1).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from .errors import UnknownProgramme


@dataclass(frozen=True)
class RunProgramme:
    code: str
    name: str
    participation_ids: Callable[[dt.date, dt.date], list[int]]
    evaluate_chunk: Callable[[Any, int, int], Any]  # list of row dicts, or a polars DataFrame


def _eco_car_ids(window_from: dt.date, window_to: dt.date) -> list[int]:
    from mileage.vehicles.models import Vehicle

    return list(
        Vehicle.objects.filter(previous__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def _eco_car_chunk(run: Any, first_id: int, last_id: int) -> Any:
    from . import eco_car

    return eco_car.evaluate_chunk(run, first_id, last_id)


ECO_CAR = RunProgramme("eco-car", "에코마일리지 승용차", _eco_car_ids, _eco_car_chunk)


def _eco_seasonal_chunk(run: Any, first_id: int, last_id: int) -> list[dict]:
    from . import seasonal

    return seasonal.evaluate_chunk(run, first_id, last_id)


# ECO-15: the May run over the winter season's end readings.
ECO_SEASONAL = RunProgramme(
    "eco-seasonal", "에코마일리지 계절관리제 특별포인트", _eco_car_ids, _eco_seasonal_chunk
)


def registry() -> dict[str, RunProgramme]:
    found = {ECO_CAR.code: ECO_CAR, ECO_SEASONAL.code: ECO_SEASONAL}
    for config in apps.get_app_configs():
        if not config.name.startswith("mileage.") or config.name == "mileage.evaluations":
            continue
        name = f"{config.name}.runs"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for programme in getattr(module, "RUN_PROGRAMMES", []):
            found[programme.code] = programme
    return found


def get(code: str) -> RunProgramme:
    try:
        return registry()[code]
    except KeyError:
        raise UnknownProgramme(detail={"programme": code}) from None
