"""City figures (WALK-5, the seed's 참여 실적): participants, 억 걸음, donations, by month and district.

Computed from data with one grouped query each (a member-day counts its largest source,
WALK-1). At production scale these would read a monthly roll-up; the query shape is the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from mileage.core.charts import bar_chart_svg, column_chart_svg
from mileage.core.sheets import Column

from .models import DonationCampaign, StepDonation, StepReport
from .queries import counted_days


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def steps_by_month_and_district(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Participants (distinct members with steps) and counted steps per month and district."""
    days, params = counted_days(on__gte=start, on__lte=end).query.sql_with_params()  # WALK-1
    sql = (
        f"SELECT {_month_sql('d.day')} AS month, COALESCE(ds.name_ko, '미지정') AS district, "
        "COUNT(DISTINCT d.member_id), SUM(d.steps) "
        f"FROM ({days}) d "
        "JOIN accounts_user u ON u.id = d.member_id "
        "LEFT JOIN accounts_district ds ON ds.id = u.district_id "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [
            {"month": m, "district": d, "participants": p, "steps": int(s or 0)}
            for m, d, p, s in cur.fetchall()
        ]


def donations_by_month_and_district(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        StepDonation.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "member__district__name_ko")
        .annotate(donors=Count("member", distinct=True), steps=Sum("steps"), won=Sum("won"))
        .order_by("month", "member__district__name_ko")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "district": r["member__district__name_ko"] or "미지정",
            "donors": r["donors"],
            "steps": r["steps"],
            "won": r["won"],
        }
        for r in rows
    ]


def city_report(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The seed's headline figures and the month × district tables behind them."""
    steps = steps_by_month_and_district(start, end)
    gifts = donations_by_month_and_district(start, end)
    by_month: dict[str, dict[str, int]] = defaultdict(
        lambda: {"participants": 0, "steps": 0, "donated_steps": 0, "won": 0}
    )
    for r in steps:
        by_month[r["month"]]["participants"] += r["participants"]
        by_month[r["month"]]["steps"] += r["steps"]
    for r in gifts:
        by_month[r["month"]]["donated_steps"] += r["steps"]
        by_month[r["month"]]["won"] += r["won"]
    table = connection.ops.quote_name(StepReport._meta.db_table)
    on = connection.ops.quote_name("on")
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(DISTINCT member_id) FROM {table} WHERE {on} >= %s AND {on} <= %s",
            [start, end],
        )
        participants = cur.fetchone()[0]
    total_gifts = StepDonation.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end
    ).aggregate(s=Sum("steps"), w=Sum("won"))
    return {
        "start": start,
        "end": end,
        "participants": participants,
        "steps": sum(r["steps"] for r in steps),
        "donated_steps": total_gifts["s"] or 0,
        "donated_won": total_gifts["w"] or 0,
        "by_month": sorted(by_month.items()),
        "steps_by_district": steps,
        "donations_by_district": gifts,
        "campaigns": DonationCampaign.objects.all(),
    }


SHEET_COLUMNS = (
    Column("월", 10),
    Column("자치구", 10),
    Column("참여 시민(명)", 13, "#,##0"),
    Column("걸음(보)", 16, "#,##0"),
    Column("기부자(명)", 11, "#,##0"),
    Column("기부 걸음(보)", 15, "#,##0"),
    Column("기부액(원)", 13, "#,##0"),
)


def month_label(month: str) -> str:
    """ "2026-11" → "2026년 11월"."""
    year, number = month.split("-")
    return f"{year}년 {int(number)}월"


def sheet_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """One row per month and district (steps and donations side by side) for CSV / XLSX."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for r in report["steps_by_district"]:
        cells[(r["month"], r["district"])][0:2] = [r["participants"], r["steps"]]
    for r in report["donations_by_district"]:
        cells[(r["month"], r["district"])][2:5] = [r["donors"], r["steps"], r["won"]]
    for (month, district), figures in sorted(cells.items()):
        yield [month_label(month), district, *figures]


def charts(report: dict[str, Any]) -> dict[str, str]:
    """The monthly steps as columns and the period's steps by district as bars."""
    by_district: dict[str, int] = defaultdict(int)
    for r in report["steps_by_district"]:
        by_district[r["district"]] += r["steps"]
    months = [(f"{m[2:4]}.{int(m[5:7])}", v["steps"]) for m, v in report["by_month"]]  # "26.11"
    return {
        "months": column_chart_svg(months, title="월별 걸음 수", unit="보", css_class="walk-chart"),
        "districts": bar_chart_svg(
            sorted(by_district.items(), key=lambda kv: -kv[1]),
            title="자치구별 걸음 수 (기간 합계)",
            unit="보",
            css_class="walk-chart",
        ),
    }


def eok(steps: int) -> str:
    """'292억 걸음' style: steps in 억 (10^8), one decimal under 10억; under 1억 in 만 (10^4),
    as Korean counts ('1,434만', never '0.1억'); under 10만 the number itself."""
    value = steps / 100_000_000
    if value >= 10:
        return f"{value:,.0f}억"
    if value >= 1:
        return f"{value:.1f}억"
    if steps >= 100_000:
        return f"{steps // 10_000:,}만"
    return f"{steps:,}"
