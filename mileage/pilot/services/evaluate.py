"""Pilot evaluation (PILOT-4..8) through the evaluation runs of `mileage.evaluations`.

    run = start_pilot_run(manager, window_from, window_to)   # a run, programme "pilot-2014"
    evaluations.services.sign_off(run, manager)               # after the preview
    evaluations.services.pay_due(run, today)                  # awards on final upload + 60 days
    payout.export_bank_transfers(manager, on)                 # wallet → bank transfer (PILOT-8)

The run machinery (chunks, atomic chunk evaluation, preview, sign-off, set-based payment, Celery)
is the eco-mileage one; this module is the pilot's `RunProgramme` (registered in `pilot/runs.py`):
which enrolments a window covers and how one chunk of them is evaluated. The rules engine gets
the RULES-CLI pilot-2014 case built from the enrolment's accepted readings (approved photo
readings, verified signed readings); its result and Korean explanation are kept in
`pilot.Outcome` for the pages, and the run's `Result` rows carry the award's ledger key
`pilot:enrolment:<id>:award` (budget `pilot-2014` → member wallet, effective on the payment date).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from mileage.core import audit
from mileage.core.parameters import current_parameters
from mileage.evaluations import services as runs
from mileage.evaluations.models import EvaluationRun
from mileage.readings.models import ReadingStatus
from mileage.rules import evaluate_with_trace
from mileage.rules.errors import InvalidCase, MissingParameter

from ..models import (
    BankAccount,
    Enrolment,
    EnrolmentReading,
    Outcome,
    OutcomeStatus,
    ReadingEvent,
    Status,
)
from ..programmes import PILOT_2014
from .readings import current_vehicle

log = logging.getLogger(__name__)


def award_key(enrolment_id: int) -> str:
    """LEDGER-1: the idempotency key of an enrolment's award."""
    return f"pilot:enrolment:{enrolment_id}:award"


def accepted_readings(enrolment: Enrolment) -> list[EnrolmentReading]:
    """Approved photo readings and verified signed readings, in submission order."""
    rows = enrolment.readings.select_related("reading", "partner_reading").order_by(
        "created_at", "id"
    )
    return [
        r
        for r in rows
        if r.partner_reading_id or (r.reading and r.reading.status == ReadingStatus.APPROVED)
    ]


def pilot_case(enrolment: Enrolment, extra_readings: list[dict] | None = None) -> dict[str, Any]:
    """The RULES-CLI pilot-2014 case of one enrolment (`extra_readings`: a what-if final)."""
    readings = []
    for row in accepted_readings(enrolment):
        if row.reading is not None:
            km, taken = row.reading.km, row.reading.taken_on
        else:
            km, taken = row.km, timezone.localdate(row.partner_reading.measured_at)
        readings.append(
            {
                "event": row.event,
                "km": km,
                "taken": taken.isoformat() if taken else None,
                "uploaded": row.uploaded_on.isoformat(),
            }
        )
    readings.extend(extra_readings or [])
    first = enrolment.vehicle
    return {
        "id": f"enrolment:{enrolment.pk}",
        "program": enrolment.programme.rules_program,
        # [interp] PILOT-4/PILOT-7: the first vehicle's registration date sets the previous-year
        # km; the vehicle driven at the end decides the electric bonus.
        "vehicle": {
            "first_registered": first.first_registered_on.isoformat(),
            "fuel": current_vehicle(enrolment).fuel,
        },
        "readings": readings,
        "insurance_contract": enrolment.contract_on.isoformat(),
        "bank_account": BankAccount.objects.filter(member=enrolment.member).exists(),
    }


def _finals_in(window_from: dt.date, window_to: dt.date) -> Any:
    return EnrolmentReading.objects.filter(
        enrolment=OuterRef("pk"),
        event=ReadingEvent.FINAL,
        uploaded_on__gte=window_from,
        uploaded_on__lte=window_to,
    )


def participation_ids(window_from: dt.date, window_to: dt.date) -> list[int]:
    """The first-vehicle ids of enrolments whose final reading was uploaded in the window."""
    return list(
        Enrolment.objects.filter(programme__code=PILOT_2014)
        .exclude(status=Status.WITHDRAWN)
        .filter(Exists(_finals_in(window_from, window_to)))
        .order_by("vehicle_id")
        .values_list("vehicle_id", flat=True)
    )


def enrolments_in(
    window_from: dt.date, window_to: dt.date, first_id: int, last_id: int
) -> QuerySet[Enrolment]:
    """The enrolments of a chunk [first_id, last_id] whose final reading was uploaded in the
    window (a run's chunk; the budget what-if's too)."""
    return (
        Enrolment.objects.filter(
            programme__code=PILOT_2014, vehicle_id__gte=first_id, vehicle_id__lte=last_id
        )
        .exclude(status=Status.WITHDRAWN)
        .filter(Exists(_finals_in(window_from, window_to)))
        .select_related("programme", "vehicle", "vehicle__district", "member")
        .order_by("vehicle_id")
    )


def evaluate_chunk(run: EvaluationRun, first_id: int, last_id: int) -> list[dict[str, Any]]:
    """The pilot's chunk: one rules-engine case per enrolment (the engine's scalar path keeps
    the Korean explanation the member sees); rows in the shape of `evaluations.store.COLUMNS`.
    Called inside the chunk's transaction: the `Outcome`s are written with the results."""
    enrolments = enrolments_in(run.window_from, run.window_to, first_id, last_id)
    params = current_parameters()
    rows = []
    for enrolment in enrolments:
        if not any(r.event == ReadingEvent.FINAL for r in accepted_readings(enrolment)):
            continue  # the final photo is still under review: a later run takes it
        try:
            result, trace = evaluate_with_trace(pilot_case(enrolment), params)
        except (InvalidCase, MissingParameter) as exc:  # refused input: logged, never fatal
            log.warning("pilot evaluation refused enrolment=%s: %s", enrolment.pk, exc)
            continue
        cycle = result["cycles"][0] if result["cycles"] else None
        if cycle is None:
            continue
        if enrolment.status == Status.VOID:  # PILOT-10: voided by an official: nothing
            cycle = {**cycle, "status": OutcomeStatus.VOID, "mileage": 0, "reasons": ["PILOT-10"]}
        outcome = _store_outcome(run, enrolment, cycle, result, trace)
        rows.append(_row(enrolment, outcome, cycle))
    return rows


def _store_outcome(
    run: EvaluationRun, enrolment: Enrolment, cycle: dict, result: dict, trace: list
) -> Outcome:
    mileage = int(cycle["mileage"])
    outcome, _ = Outcome.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "run": run,
            "status": cycle["status"],
            "mileage": mileage,
            "baseline_km": cycle.get("baseline_km"),
            "driven_km": cycle.get("driven_km"),
            "six_month_km": cycle.get("six_month_km"),
            "reduction_pct": cycle.get("reduction_pct"),
            "payment_on": cycle.get("payment_on"),
            "payment_by": cycle.get("payment_by"),
            "reasons": list(cycle["reasons"]),
            "result": {
                **result,
                "trace": [{"clause": t.clause, "ko": t.ko, "en": t.en} for t in trace],
            },
            "evaluated_by": run.started_by,
            "award_key": award_key(enrolment.pk) if mileage > 0 else "",
        },
    )
    new_status = Status.VOID if outcome.status == OutcomeStatus.VOID else Status.EVALUATED
    Enrolment.objects.filter(pk=enrolment.pk, status=Status.ACTIVE).update(status=new_status)
    audit.record(
        run.started_by,
        "pilot.evaluate",
        enrolment,
        data={"run": run.pk, "status": outcome.status, "mileage": mileage},
    )
    return outcome


def _row(enrolment: Enrolment, outcome: Outcome, cycle: dict) -> dict[str, Any]:
    vehicle = enrolment.vehicle
    return {
        "vehicle_id": vehicle.pk,
        "owner_id": enrolment.member_id,
        "district_code": vehicle.district.code,
        "plate": current_vehicle(enrolment).plate,
        "cycle": 1,
        "start_on": dt.date.fromisoformat(cycle["start"]),
        "end_on": dt.date.fromisoformat(cycle["end"]),
        "days": int(cycle["days"]),
        "baseline_km": cycle.get("baseline_km"),
        "driven_km": cycle.get("driven_km"),
        "reduction_km": cycle.get("reduction_km"),
        "reduction_pct": cycle.get("reduction_pct"),
        "status": outcome.status,
        "kind": "pilot",
        "tier": outcome.mileage,
        "mileage": outcome.mileage,
        "payment_on": outcome.payment_on and dt.date.fromisoformat(str(outcome.payment_on)),
        "reasons": ",".join(outcome.reasons)[:120],
        "key": award_key(enrolment.pk),
    }


def start_pilot_run(
    manager: Any, window_from: dt.date, window_to: dt.date, *, chunk_size: int = 5000
) -> EvaluationRun:
    """Start and evaluate a pilot run over final readings uploaded in the window (a preview
    until the city signs it off; `evaluations.services.pay_due` then pays it)."""
    with transaction.atomic():
        run = runs.start_run(
            manager, window_from, window_to, chunk_size=chunk_size, programme=PILOT_2014
        )
    return runs.run_evaluation(run)
