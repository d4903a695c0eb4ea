"""The participations of a chunk that the columnar path (`fast.py`) does not take, with their
approved readings (ECO-3, ECO-11, ECO-13, ECO-14).

One SQL query per chunk returns plain tuples for single-vehicle participations with an early end. Participations with an ECO-13 vehicle change (rare) are read
through the readings app's contract, `mileage.readings.queries.approved_histories`, which
joins the chain. Both give the same `Participation`.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db import connection

from mileage.readings.queries import ECO_CAR_EVENTS, approved_histories

from .cycles import Participation, from_history

_SINGLE = f"""
SELECT v.id, v.owner_id, d.code, v.plate, v.first_registered_on,
       r.event, r.km, COALESCE(r.taken_on, r.uploaded_on), r.uploaded_on
FROM vehicles_vehicle v
JOIN accounts_district d ON d.id = v.district_id
JOIN readings_reading r ON r.vehicle_id = v.id AND r.status = 'approved'
 AND r.event IN ({", ".join(f"'{e}'" for e in ECO_CAR_EVENTS)})
WHERE v.id BETWEEN %s AND %s AND v.previous_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM vehicles_vehicle s WHERE s.previous_id = v.id)
  AND EXISTS (SELECT 1 FROM readings_reading o WHERE o.vehicle_id = v.id
              AND o.status = 'approved' AND o.event IN ('end', 'change-out', 'change-in'))
ORDER BY v.id, r.id
"""


def participations(first_vehicle_id: int, last_vehicle_id: int) -> list[Participation]:
    """The participations in [first, last] that `fast.py` leaves out: early ends, vehicle
    changes (ECO-11, ECO-13)."""
    bounds = [first_vehicle_id, last_vehicle_id]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT vehicle_id, number FROM readings_cycle WHERE voided_at IS NOT NULL "
            "AND vehicle_id BETWEEN %s AND %s",
            bounds,
        )
        voided: dict[int, set[int]] = {}
        for vid, number in cur.fetchall():
            voided.setdefault(vid, set()).add(number)
        cur.execute(_SINGLE, bounds)
        found = [
            Participation(
                vehicle_id=vid,
                owner_id=rows[0][1],
                district_code=rows[0][2],
                plate=rows[0][3],
                first_registered_on=_date(rows[0][4]),
                readings=[(r[5], r[6], _date(r[7]), _date(r[8])) for r in rows],
                voided_cycles=frozenset(voided.get(vid, ())),
            )
            for vid, group in groupby(cur.fetchall(), key=lambda r: r[0])
            for rows in [list(group)]
        ]
        cur.execute(
            "SELECT v.id FROM vehicles_vehicle v WHERE v.id BETWEEN %s AND %s "
            "AND v.previous_id IS NULL AND EXISTS "
            "(SELECT 1 FROM vehicles_vehicle s WHERE s.previous_id = v.id)",
            bounds,
        )
        chained = [vid for (vid,) in cur.fetchall()]
    if chained:
        found += [from_history(h) for h in approved_histories(chained, batch_size=len(chained))]
    return sorted(found, key=lambda p: p.vehicle_id)


def _date(value: dt.date | str) -> dt.date:
    """SQLite hands raw dates back as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
