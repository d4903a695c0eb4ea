"""ECO-5 reminders: before a citizen's annual window opens and before it closes."""

from __future__ import annotations

import datetime as dt

from mileage.core.notify import get_notifier
from mileage.vehicles.models import Status, Vehicle

from .. import policy
from ..models import Cycle, Reading


def _chain_ids(root: Vehicle) -> list[int]:
    ids = [root.pk]
    while True:
        nxt = Vehicle.objects.filter(previous_id=ids[-1]).values_list("pk", flat=True).first()
        if nxt is None:
            return ids
        ids.append(nxt)


def send_window_reminders(today: dt.date) -> int:
    """Remind every participation whose window opens or closes within the parameter's days.
    Idempotent: each reminder has its own outbox key, so a rerun sends nothing new."""
    days = int(policy.value("eco.reminder_before_window_days", today))
    notifier = get_notifier()
    sent = 0
    horizon = today + dt.timedelta(days=days)
    cycles = (
        Cycle.objects.filter(end_reading__isnull=True, voided_at__isnull=True)
        .filter(window_opens_on__lte=horizon, window_closes_on__gte=today)
        .select_related("vehicle", "vehicle__owner")
    )
    for cycle in cycles.iterator(chunk_size=2000):
        owner, plate = cycle.vehicle.owner, cycle.vehicle.plate
        if cycle.vehicle.status == Status.ENDED:  # a changed vehicle's successor carries on
            continue
        if today < cycle.window_opens_on:
            sent += notifier.send(
                owner,
                kind="window.opens",
                subject=f"[에코마일리지] {plate} 연간 실적 등록 기간 안내",
                body=f"{cycle.number}차 연간 실적 등록 기간은 {cycle.window_opens_on} ~ {cycle.window_closes_on}입니다.",
                key=f"cycle:{cycle.pk}:opens",
            )
        elif cycle.window_closes_on - dt.timedelta(days=days) <= today:
            pending = Reading.objects.filter(
                vehicle_id__in=_chain_ids(cycle.vehicle),
                event="annual",
                cycle_no=cycle.number,
                status__in=["submitted", "checking", "approved"],
            ).exists()
            if not pending:
                sent += notifier.send(
                    owner,
                    kind="window.closes",
                    subject=f"[에코마일리지] {plate} 연간 실적 등록 마감 임박",
                    body=f"{cycle.window_closes_on}까지 등록하지 않으면 이번 평가 주기는 무효가 됩니다(ECO-5).",
                    key=f"cycle:{cycle.pk}:closes",
                )
    return sent
