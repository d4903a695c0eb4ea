"""Where a participation stands: its chain of vehicles, open cycle and approved readings."""

from __future__ import annotations

from mileage.vehicles.models import Vehicle

from ..models import Cycle, Reading, ReadingStatus


def chain(vehicle: Vehicle) -> list[Vehicle]:
    """ECO-13: the vehicles of one participation, first to last (this one's predecessors)."""
    vehicles = [vehicle]
    while vehicles[0].previous_id is not None:
        vehicles.insert(0, vehicles[0].previous)
    return vehicles


def open_cycle(vehicle: Vehicle) -> Cycle | None:
    root = chain(vehicle)[0]
    return Cycle.objects.filter(vehicle=root, end_reading__isnull=True).order_by("-number").first()


def approved_initial(vehicle: Vehicle) -> Reading | None:
    root = chain(vehicle)[0]
    return Reading.objects.filter(
        vehicle=root, event="initial", status=ReadingStatus.APPROVED
    ).first()


def last_approved_in_chain(vehicle: Vehicle) -> Reading | None:
    ids = [v.pk for v in chain(vehicle)]
    return (
        Reading.objects.filter(vehicle_id__in=ids, status=ReadingStatus.APPROVED)
        .order_by("-uploaded_at", "-id")
        .first()
    )
