"""PILOT-10 void by an official (무효 처리): seed 002, "무효로 간주하는 경우".

    void_by_official(enrolment, official, reason="altered_odometer", note="...")

The three reasons an official decides (the fourth, a reading sent after its deadline, is
decided by `readings.check_deadline` when the reading arrives, PILOT-3). The enrolment becomes
void with the reason in Korean; its outcome (if a run evaluated it) and the run's result rows
for its award become void with nothing to pay, so neither the run's payment (`pay_due`) nor the
bank-transfer export (`payout.due`) pays it; the void is audited with the official's note; the
member is told through the outbox (an essential notice, sent whatever their 알림 수신 설정).

A void after payment is refused (`VoidAfterPayment`): once the award was posted to the member's
wallet (ledger key `pilot:enrolment:<id>:award`) the seed gives no rule for taking it back, and
a void would leave the money where the records say none went. [interp] PILOT-10: recovering a
paid incentive is the city's separate procedure, not this void.

Concurrency: the run's chunks holding the award are locked first (as `pay_chunk` does), so a
payment of the same chunk either finished before (the void is refused) or waits and then finds
the result void (pays nothing).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mileage.core import audit
from mileage.core.notify import get_notifier
from mileage.evaluations.models import Result, ResultStatus, RunChunk
from mileage.ledger.models import Transaction

from .. import errors
from ..models import Enrolment, Outcome, OutcomeStatus, Status
from .evaluate import award_key

# seed 002 (무효로 간주하는 경우), the reasons an official decides; key → what everyone reads
VOID_REASONS: dict[str, str] = {
    "other_vehicle": "본인의 자동차가 아닌 다른 자동차의 주행거리 정보를 전송함",
    "altered_odometer": "주행거리표시장치의 주행거리 정보를 변경하여 전송함",
    "member_fault": "본인의 책임있는 사유로 참여기간이 120일 미만임",
}
NOTE_MAX = 500


def void_key(enrolment_id: int) -> str:
    """The void notice's outbox key (one notice per enrolment)."""
    return f"pilot:enrolment:{enrolment_id}:void"


def void_by_official(
    enrolment: Enrolment, official: Any, *, reason: str, note: str, partner: Any = None
) -> Enrolment:
    """PILOT-10: void `enrolment` for one of `VOID_REASONS` with the official's note
    (`partner`: the insurer the official works for, when it is insurer staff)."""
    note = (note or "").strip()
    if reason not in VOID_REASONS:
        raise errors.BadVoid("무효 사유를 목록에서 골라 주세요.")
    if not note:
        raise errors.BadVoid("무효로 판단한 근거를 적어 주세요 (예: 확인한 자료, 날짜).")
    if len(note) > NOTE_MAX:
        raise errors.BadVoid(f"무효 근거는 {NOTE_MAX:,}자 이내로 적어 주세요.")
    key = award_key(enrolment.pk)
    with transaction.atomic():
        chunks = sorted(set(Result.objects.filter(key=key).values_list("run_id", "chunk")))
        for run_id, number in chunks:  # the payment's lock order: chunk first
            RunChunk.objects.select_for_update().filter(run_id=run_id, number=number).first()
        found = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if found.status == Status.VOID:
            raise errors.BadVoid("이미 무효 처리된 참여입니다.", status=409)
        if found.status == Status.WITHDRAWN:
            raise errors.BadVoid("참여를 철회한 차량은 무효 처리할 수 없습니다.", status=409)
        outcome = Outcome.objects.filter(enrolment=found).first()
        if Transaction.objects.filter(key=key).exists() or (outcome and outcome.paid_on):
            raise errors.VoidAfterPayment()
        label = VOID_REASONS[reason]
        before = {"status": found.status, "mileage": outcome.mileage if outcome else None}
        Enrolment.objects.filter(pk=found.pk).update(status=Status.VOID, void_reason=label)
        if outcome is not None:
            Outcome.objects.filter(pk=outcome.pk).update(
                status=OutcomeStatus.VOID, mileage=0, award_key="", reasons=["PILOT-10"]
            )
        Result.objects.filter(key=key).update(
            status=ResultStatus.VOID, mileage=0, reasons="PILOT-10"
        )
        audit.record(
            official,
            "pilot.void",
            found,
            partner=partner,
            reason=reason,
            note=note,
            data={"reason": label, "before": before, "after": {"status": Status.VOID}},
        )
        get_notifier().send(
            found.member,
            kind="pilot.void",
            subject="승용차 마일리지 시범사업 참여가 무효 처리되었습니다",
            body=(
                f"{found.vehicle.plate} 차량의 시범사업 참여(가입번호 {found.slot})가 무효 "
                f"처리되었습니다. 사유: {label}. 인센티브는 지급되지 않습니다. 문의: "
                f"{found.partner.name} 또는 서울시."
            ),
            key=void_key(found.pk),
        )
    found.refresh_from_db()
    return found
