"""The 2014 pilot as a programme of the evaluation runs (see `mileage.evaluations.programmes`)."""

from __future__ import annotations

from mileage.evaluations.programmes import RunProgramme

from .programmes import PILOT_2014
from .services import evaluate

RUN_PROGRAMMES = [
    RunProgramme(
        code=PILOT_2014,
        name="승용차 마일리지 시범사업 (2014)",
        participation_ids=evaluate.participation_ids,
        evaluate_chunk=evaluate.evaluate_chunk,
    )
]
