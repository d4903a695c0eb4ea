"""City figures (WALK-5, the seed's 참여 실적): participants, 억 걸음, donations, by month and district.

Computed from data with one grouped query each (a member-day counts its largest source,
WALK-1). At production scale these would read a monthly roll-up; the query shape is the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

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
