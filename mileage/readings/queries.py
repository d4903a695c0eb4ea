"""Reads shared by pages, the API and the evaluation batches (see docs/CONTRACTS.md).

`visible_to(user)` is the one place that says whose readings a person may see: a citizen their
own, an official the vehicles registered in their district, the city everything.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from mileage.accounts import scope
from mileage.core.models import AuditEntry
from mileage.vehicles.models import Vehicle
from mileage.vehicles.queries import vehicles_visible_to  # noqa: F401  (re-exported)

from .models import Appeal, Cycle, Reading, ReadingStatus

ECO_CAR_EVENTS = ("initial", "annual", "end", "change-out", "change-in")
SEASONAL_EVENTS = ("season-start", "season-end")


def visible_to(user: Any) -> QuerySet[Reading]:
    return scope.restrict(
        Reading.objects.all(), user, owner="vehicle__owner", district="vehicle__district"
    )


def cycles_visible_to(user: Any) -> QuerySet[Cycle]:
    return scope.restrict(
        Cycle.objects.all(), user, owner="vehicle__owner", district="vehicle__district"
    )


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    return scope.restrict(Appeal.objects.all(), user, owner="citizen", district="vehicle__district")


def audit_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """The vehicles' audit trail: the city sees all of it, an official their district's."""
    about_vehicles = AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(Vehicle)
    )
    return scope.restrict(about_vehicles, user, district="vehicle__district")


def review_queue(user: Any, *, status: str = "submitted", flag: str = "") -> QuerySet[Reading]:
    """The district's queue, oldest first, filtered by status and flag."""
    readings = visible_to(user) if not scope.is_citizen(user) else Reading.objects.none()
    if status:
        readings = readings.filter(status=status)
    if flag:
        readings = readings.filter(flags__code=flag).distinct()
    return (
        readings.select_related("vehicle", "vehicle__district", "vehicle__owner")
        .prefetch_related("flags")
        .order_by("uploaded_at", "id")
    )


@dataclass(frozen=True)
class HistoryReading:
    id: int
    vehicle_id: int
    event: str
    km: int
    taken_on: dt.date | None
    uploaded_on: dt.date

    @property
    def effective_on(self) -> dt.date:
        return self.taken_on or self.uploaded_on  # C-1

    def as_case(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "km": self.km,
            "taken": self.taken_on.isoformat() if self.taken_on else None,
            "uploaded": self.uploaded_on.isoformat(),
        }


@dataclass(frozen=True)
class CycleInfo:
    id: int
    number: int
    start_reading_id: int
    end_reading_id: int | None
    window_opens_on: dt.date
    window_closes_on: dt.date
    voided: bool
    void_reason: str


@dataclass(frozen=True)
class History:
    """One participation's approved data (ECO-13 chains joined), for the rules engine."""

    vehicle_id: int
    current_vehicle_id: int
    owner_id: int
    plate: str
    district_code: str
    first_registered_on: dt.date
    fuel: str
    ended: dict[str, str] | None
    readings: list[HistoryReading] = field(default_factory=list)
    seasonal: list[HistoryReading] = field(default_factory=list)
    cycles: list[CycleInfo] = field(default_factory=list)

    def case(self, extra_readings: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
        """The RULES-CLI eco-car case of this history (plus hypothetical readings)."""
        readings = [r.as_case() for r in self.readings] + list(extra_readings)
        case: dict[str, Any] = {
            "id": f"vehicle:{self.vehicle_id}",
            "program": "eco-car",
            "vehicle": {
                "first_registered": self.first_registered_on.isoformat(),
                "fuel": self.fuel,
            },
            "readings": readings,
        }
        if readings and readings[-1]["event"] == "end" and self.ended:
            case["ended"] = dict(self.ended)
        return case

    def seasonal_cases(self) -> list[dict[str, Any]]:
        """One eco-seasonal case per season-start followed by its season-end (ECO-15..17)."""
        cases, start = [], None
        for reading in self.seasonal:
            if reading.event == "season-start":
                start = reading
            elif start is not None:
                cases.append(
                    {
                        "id": f"vehicle:{self.vehicle_id}:season:{start.id}",
                        "program": "eco-seasonal",
                        "vehicle": {
                            "first_registered": self.first_registered_on.isoformat(),
                            "fuel": self.fuel,
                        },
                        "readings": [start.as_case(), reading.as_case()],
                    }
                )
                start = None
        return cases


def _chains(vehicles: dict[int, Vehicle]) -> dict[int, list[Vehicle]]:
    """Group vehicles by their participation's first vehicle."""
    by_root: dict[int, list[Vehicle]] = defaultdict(list)
    for vehicle in vehicles.values():
        root = vehicle
        while root.previous_id is not None and root.previous_id in vehicles:
            root = vehicles[root.previous_id]
        by_root[root.pk].append(vehicle)
    for chain in by_root.values():
        chain.sort(key=lambda v: v.pk)
    return by_root


def _with_chain_members(ids: list[int]) -> dict[int, Vehicle]:
    """Load the vehicles plus every predecessor and successor, one hop per query (chains of
    ECO-13 changes are short)."""
    found: dict[int, Vehicle] = {}
    queried: set[int] = set()
    todo = set(ids)
    while todo:
        queried |= todo
        for vehicle in Vehicle.objects.filter(
            Q(pk__in=todo) | Q(previous_id__in=todo)
        ).select_related("district"):
            found.setdefault(vehicle.pk, vehicle)
        todo = {v.pk for v in found.values()} | {
            v.previous_id for v in found.values() if v.previous_id
        }
        todo -= queried
    return found


def approved_histories(
    vehicle_ids: Iterable[int] | None = None, *, batch_size: int = 2000
) -> Iterator[History]:
    """Per participation, its approved readings in submission order and its cycles."""
    if vehicle_ids is None:
        roots = (
            Vehicle.objects.filter(previous__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ids = list(roots)
    else:
        ids = sorted(set(vehicle_ids))
    seen: set[int] = set()
    for start in range(0, len(ids), batch_size):
        vehicles = _with_chain_members(ids[start : start + batch_size])
        for history in _histories(vehicles):
            if history.vehicle_id not in seen:
                seen.add(history.vehicle_id)
                yield history


def _histories(vehicles: dict[int, Vehicle]) -> Iterator[History]:
    readings: dict[int, list[Reading]] = defaultdict(list)
    rows = (
        Reading.objects.filter(vehicle_id__in=list(vehicles), status=ReadingStatus.APPROVED)
        .order_by("id")
        .only("id", "vehicle_id", "event", "km", "taken_on", "uploaded_on")
    )
    for reading in rows:
        readings[reading.vehicle_id].append(reading)
    cycles: dict[int, list[Cycle]] = defaultdict(list)
    for cycle in Cycle.objects.filter(vehicle_id__in=list(vehicles)).order_by("number"):
        cycles[cycle.vehicle_id].append(cycle)
    for root_id, chain in sorted(_chains(vehicles).items()):
        root, current = vehicles[root_id], chain[-1]
        chain_readings = sorted((r for v in chain for r in readings[v.pk]), key=lambda r: r.pk)
        rows_out = [
            HistoryReading(r.pk, r.vehicle_id, r.event, r.km, r.taken_on, r.uploaded_on)
            for r in chain_readings
        ]
        yield History(
            vehicle_id=root.pk,
            current_vehicle_id=current.pk,
            owner_id=current.owner_id,
            plate=current.plate,
            district_code=current.district.code,
            first_registered_on=root.first_registered_on,
            fuel=current.fuel,
            ended={"reason": current.end_reason, "on": current.ended_on.isoformat()}
            if current.ended_on
            else None,
            readings=[r for r in rows_out if r.event in ECO_CAR_EVENTS],
            seasonal=[r for r in rows_out if r.event in SEASONAL_EVENTS],
            cycles=[
                CycleInfo(
                    c.pk,
                    c.number,
                    c.start_reading_id,
                    c.end_reading_id,
                    c.window_opens_on,
                    c.window_closes_on,
                    c.voided_at is not None,
                    c.void_reason,
                )
                for c in cycles[root_id]
            ],
        )


# The participations whose first vehicle is in [first, last], each with its ECO-13 chain of
# later vehicles; the owner, district and plate are the current (last) vehicle's.
_CHAIN = """
WITH RECURSIVE chain(root_id, vehicle_id) AS (
  SELECT v.id, v.id FROM vehicles_vehicle v
  WHERE v.previous_id IS NULL AND v.id BETWEEN {first} AND {last}
  UNION ALL
  SELECT c.root_id, v.id FROM vehicles_vehicle v JOIN chain c ON v.previous_id = c.vehicle_id
),
current_vehicle(root_id, vehicle_id) AS (
  SELECT root_id, MAX(vehicle_id) FROM chain GROUP BY root_id
)
"""
_APPROVED_READINGS = (
    _CHAIN
    + """
SELECT c.root_id, cur.owner_id, d.code, cur.plate, root.first_registered_on,
       r.event, r.km, r.taken_on, r.uploaded_on
FROM chain c
JOIN readings_reading r ON r.vehicle_id = c.vehicle_id
JOIN vehicles_vehicle root ON root.id = c.root_id
JOIN current_vehicle cv ON cv.root_id = c.root_id
JOIN vehicles_vehicle cur ON cur.id = cv.vehicle_id
JOIN accounts_district d ON d.id = cur.district_id
WHERE r.status = 'approved' AND r.event IN ({events})
ORDER BY c.root_id, r.id
"""
)
READINGS_FRAME_SCHEMA = {
    "vehicle_id": pl.Int64,  # the participation: its first vehicle
    "owner_id": pl.Int64,
    "district_code": pl.Utf8,
    "plate": pl.Utf8,
    "first_registered": pl.Date,
    "event": pl.Utf8,
    "km": pl.Int64,
    "taken": pl.Date,
    "uploaded": pl.Date,
}


def approved_readings_frame(first_vehicle_id: int, last_vehicle_id: int) -> pl.DataFrame:
    """The approved eco-car readings of the participations whose first vehicle id is in
    [first, last] (vehicle changes joined, ECO-13), in submission order per participation:
    the readings frame the rules' batch path takes (`mileage.rules.batch.cases.cycle_frame`
    with key `vehicle_id`), one SQL statement, no model object per row.

    PostgreSQL streams it with `COPY ... TO STDOUT`; SQLite fetches the same SELECT."""
    sql = _APPROVED_READINGS.format(
        first=int(first_vehicle_id),
        last=int(last_vehicle_id),
        events=", ".join(f"'{event}'" for event in ECO_CAR_EVENTS),
    )
    return _frame(sql, READINGS_FRAME_SCHEMA)


def voided_cycles_frame(first_vehicle_id: int, last_vehicle_id: int) -> pl.DataFrame:
    """ECO-14: the cycles an official voided, as (`vehicle_id` of the first vehicle, `cycle`)."""
    cycles = Cycle.objects.filter(
        voided_at__isnull=False, vehicle__id__range=(first_vehicle_id, last_vehicle_id)
    ).values_list("vehicle_id", "number")
    return pl.DataFrame(
        list(cycles), schema={"vehicle_id": pl.Int64, "cycle": pl.Int64}, orient="row"
    )


def season_end_vehicle_ids(
    first_vehicle_id: int, last_vehicle_id: int, uploaded_from: dt.date, uploaded_to: dt.date
) -> list[int]:
    """ECO-15: vehicles in [first, last] with an approved season-end reading uploaded in the
    window (the seasonal run's participations of one chunk)."""
    return list(
        Reading.objects.filter(
            status=ReadingStatus.APPROVED,
            event="season-end",
            uploaded_on__range=(uploaded_from, uploaded_to),
            vehicle__id__range=(first_vehicle_id, last_vehicle_id),
        )
        .order_by("vehicle_id")
        .values_list("vehicle_id", flat=True)
        .distinct()
    )


def _frame(sql: str, schema: dict[str, Any]) -> pl.DataFrame:
    """One SELECT as a polars frame of `schema` (dates read as ISO text, then parsed)."""
    text = {name: pl.Utf8 if dtype == pl.Date else dtype for name, dtype in schema.items()}
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The statement's estimated cost is far above `jit_above_cost`, and compiling it takes
            # longer (about 0.45 s per 50,000-vehicle chunk) than running it; the ECO-13 chain's
            # estimate makes the planner sort in small memory. Both only for this transaction.
            cur.execute("SET LOCAL jit = off")
            cur.execute("SET LOCAL work_mem = '64MB'")
            buffer = io.BytesIO()
            with cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV)") as copy:
                for block in copy:
                    buffer.write(block)
            frame = (
                pl.read_csv(
                    buffer.getvalue(),
                    has_header=False,
                    new_columns=list(schema),
                    schema_overrides=text,
                )
                if buffer.tell()
                else pl.DataFrame(schema=text)
            )
        else:
            cur.execute(sql)
            rows = [
                [v.isoformat() if isinstance(v, dt.date) else v for v in row]
                for row in cur.fetchall()
            ]
            frame = pl.DataFrame(rows, schema=text, orient="row")
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    return frame.with_columns(pl.col(name).str.to_date() for name in dates)
