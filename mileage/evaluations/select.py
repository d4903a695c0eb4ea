"""Which participations a chunk covers, with their approved readings (ECO-3, ECO-14).

Reads through `mileage.readings.queries.approved_histories` (the readings app's contract):
a few queries per chunk, never one per vehicle.
"""

from __future__ import annotations

from mileage.readings.queries import approved_histories
from mileage.vehicles.models import Vehicle

from .cycles import Participation, from_history


def participations(first_vehicle_id: int, last_vehicle_id: int) -> list[Participation]:
    """The participations whose first vehicle id is in [first, last]."""
    ids = list(
        Vehicle.objects.filter(
            previous__isnull=True, pk__gte=first_vehicle_id, pk__lte=last_vehicle_id
        ).values_list("pk", flat=True)
    )
    return [from_history(h) for h in approved_histories(ids, batch_size=len(ids) or 1)]
