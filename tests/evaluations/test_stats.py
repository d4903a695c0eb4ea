"""Issue #14: city-wide eco figures by month and district (participants, km, reduction, CO₂,
mileage paid) with charts and a Korean XLSX/CSV export; officials see their own district; a
preview counts for nobody until signed off."""

from __future__ import annotations

import csv
import io

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from mileage.accounts.models import District
from mileage.core.models import AuditEntry
from mileage.evaluations import services
from mileage.evaluations.models import Result
from mileage.readings import policy
from mileage.vehicles.models import Vehicle
from tests.factories import mapo_official

from .conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db


def _year_page(client, year: int) -> str:
    return client.get("/evaluations/stats/", {"year": year}).content.decode()


def test_eco_stats_count_signed_off_runs_only_and_match_the_results(vehicles, manager, client):
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    year = Result.objects.filter(run=run).values_list("end_on", flat=True).first().year
    client.force_login(manager)
    assert "승인된 평가가 없습니다" in _year_page(client, year)  # a preview is nobody's figure
    services.sign_off(run, manager)
    services.pay_due(run, PAY_ON)
    page = _year_page(client, year)
    results = Result.objects.filter(run=run, end_on__year=year)
    vehicles_n = results.values("vehicle_id").distinct().count()
    assert f"{vehicles_n:,}대" in page and 'class="stats-chart"' in page
    paid = results.filter(mileage__gt=0).aggregate(s=Sum("mileage"))["s"]
    assert f"{paid:,}" in page
    # CO₂: reduced km × the fuel's dated factor, summed over the vehicles
    expected = 0.0
    fuels = dict(Vehicle.objects.values_list("pk", "fuel"))
    for r in results.filter(reduction_km__gt=0):
        last_day = r.end_on.replace(day=28)  # every factor here is one value since 2010
        expected += r.reduction_km * policy.co2_g_per_km(fuels[r.vehicle_id], last_day) / 1000
    assert f"{round(expected):,}kg" in page

    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/evaluations/stats/", {"year": year, "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][:3] == ["연도", "월", "자치구"] and "CO₂ 감축(kg)" in rows[0]
    names = set(District.objects.values_list("name_ko", flat=True))
    assert {r[2] for r in rows[1:]} <= names
    assert sum(int(r[8]) for r in rows[1:]) == paid
    book = load_workbook(
        io.BytesIO(client.get("/evaluations/stats/", {"year": year, "format": "xlsx"}).content)
    )
    assert book.active["A1"].value == "연도" and book.active.max_row == len(rows)
    assert AuditEntry.objects.filter(action="stats.export").count() == 2


def test_an_official_sees_only_their_district_and_citizens_are_refused(vehicles, manager, client):
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    services.sign_off(run, manager)
    year = Result.objects.filter(run=run).values_list("end_on", flat=True).first().year
    official = mapo_official()
    client.force_login(official)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/evaluations/stats/", {"year": year, "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )[1:]
    assert {r[2] for r in rows} <= {official.district.name_ko}
    mapo = Result.objects.filter(run=run, end_on__year=year, district_code=official.district.code)
    assert sum(int(r[3]) for r in rows) == mapo.values("vehicle_id").distinct().count()
    citizen = Vehicle.objects.first().owner
    client.force_login(citizen)
    assert client.get("/evaluations/stats/").status_code == 403
