"""WALK-1 once: the rules engine's scalar "largest source" and the SQL one agree, and the member
page, the city figures and the accrual all count what the SQL one counts."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from mileage.partners.models import Partner, PartnerKind
from mileage.rules.walk.days import StepsReport, counted_report
from mileage.walking import queries, rates, stats
from mileage.walking.models import DayAccrual
from mileage.walking.services.feed import upsert_reports
from mileage.walking.tasks import accrue_day
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_walk1_sql_largest_source_agrees_with_the_rules_engine(seed: int) -> None:
    rng = random.Random(seed)
    sources = [
        Partner.objects.get_or_create(
            slug=f"walk-app-{i}", defaults={"name": f"앱{i}", "kind": PartnerKind.WALKING_APP}
        )[0]
        for i in range(3)
    ]
    members = [factories.mapo_citizen(), factories.jung_citizen()]
    members += [factories.person(f"walker-{i}", district_code="11440") for i in range(4)]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    days = [yesterday - dt.timedelta(days=k) for k in range(4)]
    reports: dict[tuple[int, dt.date], list[StepsReport]] = defaultdict(list)
    for member in members:
        for on in days:
            for source in rng.sample(sources, rng.randint(0, 3)):
                steps = rng.choice([0, 99, 100, 5_000, 10_000, 25_000, rng.randint(0, 30_000)])
                upsert_reports(source.pk, [(member.pk, on, steps)], timezone.now())
                reports[member.pk, on].append(StepsReport(on, source.slug, steps))
    expected = {key: counted_report(found).steps for key, found in reports.items()}

    in_sql = {(r["member_id"], r["day"]): r["steps"] for r in queries.counted_days()}
    assert in_sql == expected
    for member in members:  # the member's page
        totals = queries.day_totals(member.pk, days[-1], days[0])
        assert totals == {on: s for (m, on), s in expected.items() if m == member.pk}
    figures = stats.steps_by_month_and_district(days[-1], days[0])  # the city's figures
    assert sum(row["steps"] for row in figures) == sum(expected.values())
    for on in days:  # the accrual
        accrue_day(on)
    paid = dict(((a.member_id, a.on), a.steps) for a in DayAccrual.objects.all())
    assert paid == {
        (m, on): s for (m, on), s in expected.items() if s >= rates.min_paying_steps(on)
    }
