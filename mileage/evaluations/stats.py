"""City-wide eco-mileage figures by month and district (issue #14): participants, km driven, km
reduced, CO₂ avoided and mileage paid, from the published results of eco-car runs.

A result counts in the month its cycle ended (`end_on`). Only runs signed off or paid count (a
preview is nobody's figure yet); a cancelled run never does. CO₂ avoided is the reduced km times
the dated ECO-8 factor of the vehicle's fuel (g CO₂/km, `eco.co2_<fuel>`) on the cycle's last
day, as the citizen dashboard computes a vehicle's own figure. "Paid" is the mileage of awarded
results in runs already paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth

from mileage.accounts.models import District
from mileage.core.sheets import Column
from mileage.readings import policy
from mileage.vehicles.models import Vehicle

from .models import Programme, RunStatus
from .queries import PUBLISHED, results_visible_to

COLUMNS = (
    Column("연도", 6),
    Column("월", 4),
    Column("자치구", 10),
    Column("참여 차량(대)", 13, "#,##0"),
    Column("주행거리(km)", 14, "#,##0"),
    Column("감축 거리(km)", 14, "#,##0"),
    Column("CO₂ 감축(kg)", 14, "#,##0"),
    Column("지급 대상(건)", 13, "#,##0"),
    Column("지급 마일리지", 14, "#,##0"),
)


@dataclass
class Figures:
    participants: int = 0
    driven_km: float = 0.0
    reduced_km: float = 0.0
    co2_kg: float = 0.0
    awards: int = 0
    paid: int = 0

    def add(self, other: Figures) -> None:
        self.participants += other.participants
        self.driven_km += other.driven_km
        self.reduced_km += other.reduced_km
        self.co2_kg += other.co2_kg
        self.awards += other.awards
        self.paid += other.paid


@dataclass
class Report:
    year: int
    months: dict[int, Figures] = field(default_factory=dict)  # 1..12
    districts: dict[str, Figures] = field(default_factory=dict)  # Korean district name
    cells: dict[tuple[int, str], Figures] = field(default_factory=dict)  # (month, district)
    total: Figures = field(default_factory=Figures)


def eco_report(user: Any, year: int) -> Report:
    """The figures of `year` that `user` may see (an official: their district only), in three
    grouped SQL statements whatever the number of vehicles."""
    results = results_visible_to(user).filter(
        run__programme=Programme.ECO_CAR,
        run__status__in=PUBLISHED,
        end_on__year=year,
    )
    fuel = Subquery(Vehicle.objects.filter(pk=OuterRef("vehicle_id")).values("fuel")[:1])
    rows = (
        results.annotate(month=ExtractMonth("end_on"), fuel=fuel)
        .values("month", "district_code", "fuel")
        .annotate(
            participants=Count("vehicle_id", distinct=True),
            driven=Sum("driven_km"),
            reduced=Sum("reduction_km", filter=Q(reduction_km__gt=0)),
            awards=Count("id", filter=Q(mileage__gt=0)),
            paid=Sum("mileage", filter=Q(mileage__gt=0, run__status=RunStatus.PAID)),
        )
        .order_by()
    )
    names = dict(District.objects.values_list("code", "name_ko"))
    factors: dict[tuple[str, int], float] = {}
    report = Report(year=year)
    for r in rows:  # one row per (month, district, fuel): a vehicle has one fuel
        month, district = r["month"], names.get(r["district_code"], r["district_code"])
        reduced = float(r["reduced"] or 0)
        co2 = 0.0
        if r["fuel"] and reduced:
            if (r["fuel"], month) not in factors:  # ECO-8, dated: the factor of the month's end
                factors[(r["fuel"], month)] = policy.co2_g_per_km(
                    r["fuel"], _month_end(year, month)
                )
            co2 = reduced * factors[(r["fuel"], month)] / 1000
        one = Figures(
            participants=r["participants"],
            driven_km=float(r["driven"] or 0),
            reduced_km=reduced,
            co2_kg=co2,
            awards=r["awards"],
            paid=int(r["paid"] or 0),
        )
        for bucket, key in (
            (report.months, month),
            (report.districts, district),
            (report.cells, (month, district)),
        ):
            bucket.setdefault(key, Figures()).add(one)  # type: ignore[attr-defined]
        report.total.add(one)
    # A vehicle with cycles ending in two months is one participant of its district's year.
    by_district = results.values("district_code").annotate(n=Count("vehicle_id", distinct=True))
    for r in by_district.order_by():
        report.districts[names.get(r["district_code"], r["district_code"])].participants = r["n"]
    report.total.participants = results.aggregate(n=Count("vehicle_id", distinct=True))["n"]
    return report


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def sheet_rows(report: Report) -> Iterator[list[Any]]:
    """One row per month and district with figures, for the CSV / XLSX file (COLUMNS)."""
    for (month, district), f in sorted(report.cells.items()):
        yield [
            report.year,
            month,
            district,
            f.participants,
            round(f.driven_km),
            round(f.reduced_km),
            round(f.co2_kg),
            f.awards,
            f.paid,
        ]
