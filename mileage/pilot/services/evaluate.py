"""Pilot evaluation and payout (PILOT-4..8): the rules engine decides, the ledger pays.

    run_pilot_evaluation(manager)        # every enrolment with an accepted final reading
    export_bank_transfers(manager, on)   # the city's transfer list for what is due on `on`

The rules engine gets the RULES-CLI pilot-2014 case built from the enrolment's accepted
readings (approved photo readings, verified signed readings). An award is posted budget →
member wallet with the key `pilot:enrolment:<id>:award` (effective on the payment date, final
upload + 60 days); the bank-transfer export moves it wallet → external bank transfer with the
key `pilot:enrolment:<id>:payout`. Running either twice pays nobody twice (LEDGER-1).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.readings.models import ReadingStatus
from mileage.rules import evaluate as rules_evaluate
from mileage.rules.errors import InvalidCase, MissingParameter

from ..models import (
    AuditEntry,
    BankAccount,
    Enrolment,
    EnrolmentReading,
    Outcome,
    OutcomeStatus,
    ReadingEvent,
    Status,
)
from ..params import current_parameters
from .readings import current_vehicle

log = logging.getLogger(__name__)


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


def pilot_case(enrolment: Enrolment) -> dict[str, Any]:
    """The RULES-CLI pilot-2014 case of one enrolment."""
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


def _ready(enrolment: Enrolment) -> bool:
    return any(r.event == ReadingEvent.FINAL for r in accepted_readings(enrolment))


def evaluate_enrolment(enrolment: Enrolment, manager: Any = None) -> Outcome:
    """PILOT-4..8 for one enrolment; stored once, paid once."""
    existing = Outcome.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    result = rules_evaluate(pilot_case(enrolment), current_parameters())
    cycle = result["cycles"][0] if result["cycles"] else None
    with transaction.atomic():
        outcome = Outcome.objects.create(
            enrolment=enrolment,
            status=cycle["status"] if cycle else OutcomeStatus.NOT_EVALUATED,
            mileage=cycle["mileage"] if cycle else 0,
            baseline_km=cycle and cycle.get("baseline_km"),
            driven_km=cycle and cycle.get("driven_km"),
            six_month_km=cycle and cycle.get("six_month_km"),
            reduction_pct=cycle and cycle.get("reduction_pct"),
            payment_on=cycle and cycle.get("payment_on"),
            payment_by=cycle and cycle.get("payment_by"),
            reasons=cycle["reasons"] if cycle else [],
            result=result,
            evaluated_by=manager,
        )
        if outcome.status == OutcomeStatus.AWARDED and outcome.mileage > 0:
            key = f"pilot:enrolment:{enrolment.pk}:award"
            budget = ledger.account("budget", programme=enrolment.programme.code)
            wallet = ledger.account("wallet", user=enrolment.member)
            ledger.post(
                key,
                [(budget, -outcome.mileage), (wallet, outcome.mileage)],
                kind="award",
                memo=f"승용차 마일리지 시범사업 인센티브 (가입 #{enrolment.slot})",
                effective_on=dt.date.fromisoformat(str(outcome.payment_on)),
            )
            outcome.award_key = key
            outcome.save(update_fields=["award_key"])
        new_status = Status.VOID if outcome.status == OutcomeStatus.VOID else Status.EVALUATED
        Enrolment.objects.filter(pk=enrolment.pk, status=Status.ACTIVE).update(status=new_status)
        AuditEntry.objects.create(
            actor=manager,
            enrolment=enrolment,
            action="pilot.evaluate",
            data={"status": outcome.status, "mileage": outcome.mileage, "reasons": outcome.reasons},
        )
    return outcome


def run_pilot_evaluation(manager: Any, programme_code: str = "pilot-2014") -> dict[str, int]:
    """Evaluate every active enrolment whose final reading is accepted; returns counts.

    A case the rules refuse (bad input) is logged with its enrolment and counted, never fatal."""
    counts = {"evaluated": 0, "awarded": 0, "mileage": 0, "failed": 0, "waiting": 0}
    enrolments = Enrolment.objects.filter(
        programme__code=programme_code, status=Status.ACTIVE
    ).select_related("programme", "vehicle", "member")
    for enrolment in enrolments.iterator():
        if not _ready(enrolment):
            counts["waiting"] += 1
            continue
        try:
            outcome = evaluate_enrolment(enrolment, manager)
        except (InvalidCase, MissingParameter) as exc:
            log.warning("pilot evaluation refused enrolment=%s: %s", enrolment.pk, exc)
            counts["failed"] += 1
            continue
        counts["evaluated"] += 1
        if outcome.status == OutcomeStatus.AWARDED:
            counts["awarded"] += 1
            counts["mileage"] += outcome.mileage
    return counts
