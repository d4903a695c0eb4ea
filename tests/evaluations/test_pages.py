"""End to end through the pages: the city runs, previews, signs off and exports an annual run;
the citizen sees the award, its payment date, the explanation and the wallet (ECO-5..12)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from mileage.accounts.models import District
from mileage.core.models import AuditEntry
from mileage.evaluations import services
from mileage.evaluations.models import EvaluationRun, Result, RunStatus
from mileage.ledger.checks import assert_books_balance
from tests.factories import jung_official, mapo_official

from .conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db


def test_annual_run_end_to_end_citizen_sees_award_explanation_and_wallet(
    vehicles, manager, client
) -> None:
    client.force_login(manager)
    response = client.post(
        "/evaluations/runs/",
        {"window_from": WINDOW[0].isoformat(), "window_to": WINDOW[1].isoformat()},
    )
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and run.status == RunStatus.EVALUATED  # eager Celery
    page = client.get(f"/evaluations/runs/{run.pk}/").content.decode()
    assert "자치구·등급별 지급 마일리지" in page and "<svg" in page and "<progress" in page
    assert client.post(f"/evaluations/runs/{run.pk}/sign-off/").status_code == 302
    services.pay_due(run, PAY_ON)  # the daily job on the ECO-12 payment date

    awarded = Result.objects.filter(run=run, mileage__gt=0).order_by("vehicle_id").first()
    from mileage.accounts.models import User

    citizen = User.objects.get(pk=awarded.owner_id)
    client.force_login(citizen)
    mine = client.get("/evaluations/mine/").content.decode()
    assert f"{awarded.mileage:,}" in mine
    assert (
        f"{PAY_ON.year}. {PAY_ON.month}. {PAY_ON.day}." in mine and PAY_ON.isoformat() not in mine
    )
    assert "ECO-9" in mine  # the rules engine's explanation, with its clauses
    assert f'지갑 잔액: <strong data-testid="wallet-balance">{awarded.mileage:,}</strong>' in mine
    assert_books_balance()


def test_export_csv_and_xlsx_and_officials_see_only_their_district(
    vehicles, manager, client
) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    client.force_login(manager)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/evaluations/runs/{run.pk}/export.csv", {"reason": "검토"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 1 + Result.objects.filter(run=run).count()
    # issue #14: Korean headers, district names and Korean results, not codes
    assert rows[0][:3] == ["차량 번호(내부)", "차량번호", "자치구"] and "마일리지" in rows[0]
    assert {r[2] for r in rows[1:]} <= set(District.objects.values_list("name_ko", flat=True))
    assert {r[11] for r in rows[1:]} <= {"지급 대상", "미지급", "무효", "평가 제외"}
    assert not any("awarded" in cell or "regular" in cell for r in rows[1:] for cell in r[:16])
    book = load_workbook(
        io.BytesIO(
            client.get(f"/evaluations/runs/{run.pk}/export.xlsx", {"reason": "검토"}).content
        )
    )
    sheet = book.active
    assert sheet.max_row == len(rows) and sheet["B1"].value == "차량번호"
    assert sheet.column_dimensions["Q"].width >= 20 and sheet.freeze_panes == "A2"
    assert AuditEntry.objects.filter(action="run.export").count() == 2

    official = mapo_official()
    client.force_login(official)
    mapo_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/evaluations/runs/{run.pk}/export.csv", {"reason": "검토"}
                ).content.decode("utf-8-sig")
            )
        )
    )[1:]
    assert {r[2] for r in mapo_rows} <= {official.district.name_ko}
    assert (
        len(mapo_rows)
        == Result.objects.filter(run=run, district_code=official.district.code).count()
    )
    client.force_login(jung_official())
    assert client.post(f"/evaluations/runs/{run.pk}/sign-off/").status_code == 403
    assert_books_balance()


def test_citizens_see_nothing_of_a_run_before_it_is_signed_off(vehicles, manager, client) -> None:
    """Issue #14: a preview's '지급 대상 · 지급일' reached citizens before sign-off (twice)."""
    from mileage.accounts.models import User
    from mileage.evaluations import services as run_services

    run = run_services.start_run(manager, *WINDOW)
    run_services.run_evaluation(run)
    awarded = Result.objects.filter(run=run, mileage__gt=0).order_by("vehicle_id").first()
    citizen = User.objects.get(pk=awarded.owner_id)
    client.force_login(citizen)
    for path in ("/evaluations/mine/", "/dashboard/"):
        page = client.get(path).content.decode()
        assert "지급 대상" not in page and f"{awarded.mileage:,} 마일리지" not in page, path
    run_services.sign_off(run, manager)
    assert "지급 대상" in client.get("/evaluations/mine/").content.decode()
