"""Evaluation pages in a real browser on a 390 px phone (ECO-5..12): the city manager starts an
annual run, sees its progress bar, totals and SVG chart, downloads the CSV and XLSX exports (both
open: the XLSX with openpyxl), signs it off; after the payment date the citizen sees the award
with the rules engine's Korean explanation and the wallet balance."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from benchmarks.synthetic_vehicles import load
from mileage.accounts.districts import district, ensure_districts
from mileage.accounts.models import User
from mileage.evaluations import services
from mileage.evaluations.models import EvaluationRun, Result
from tests import factories
from tests.evaluations.conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db(transaction=True)


def _no_horizontal_overflow(page: Any) -> None:
    """Mobile first: nothing wider than the 390 px screen (wide tables scroll in their box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"


def test_evaluation_run_page_exports_and_citizen_explanation_on_a_phone(
    page: Any, live_server: Any, login_as: Any, screenshot_dir: Path
) -> None:
    ensure_districts()  # a transactional test may run after another one flushed them
    load(12, WINDOW[0], tag="brw")
    manager = factories.city_manager(password=factories.PASSWORD)
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

    login_as(page, manager, factories.PASSWORD)
    page.goto(live_server.url + "/evaluations/runs/")
    page.get_by_label("프로그램").select_option("eco-car")
    page.get_by_label("업로드 기간 시작").fill(WINDOW[0].isoformat())
    page.get_by_label("업로드 기간 끝").fill(WINDOW[1].isoformat())
    page.get_by_role("button", name="평가 시작").click()
    run = EvaluationRun.objects.get()
    page.wait_for_url(f"{live_server.url}/evaluations/runs/{run.pk}/")
    assert page.locator("html").get_attribute("lang") == "ko"

    progress = page.locator("progress#run-progress")
    assert progress.get_attribute("value") == "100"  # eager Celery: evaluated before redirect
    assert page.get_by_test_id("run-status").inner_text() == "상태: 평가 완료 (미리보기)"
    awarded = Result.objects.filter(run=run, mileage__gt=0)
    total = sum(r.mileage for r in awarded)
    totals = page.get_by_test_id("run-totals").inner_text()
    assert f"평가 {Result.objects.filter(run=run).count()}건" in totals
    assert f"마일리지 {total:,}" in totals
    chart = page.locator("figure svg[role='img']")
    assert chart.is_visible() and chart.bounding_box()["width"] <= 390
    assert chart.locator("rect").count() >= 1
    some = Result.objects.filter(run=run).order_by("vehicle_id").first()
    by_district = page.get_by_test_id("by-district").inner_text()
    assert district(some.district_code).name_ko in by_district  # names, not codes
    assert some.district_code not in by_district
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshot_dir / "evaluation-run.png"), full_page=True)

    page.get_by_label("내려받는 사유").fill("5월 지급 검토")  # personal data: a reason
    with page.expect_download() as got:
        page.get_by_role("button", name="CSV 내려받기").click()
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    assert (
        rows[0][:2] == ["차량 번호(내부)", "차량번호"]  # Korean headers (issue #14)
        and len(rows) == 1 + Result.objects.filter(run=run).count()
    )
    with page.expect_download() as got:
        page.get_by_role("button", name="엑셀(XLSX) 내려받기").click()
    assert got.value.suggested_filename.endswith(".xlsx")
    xlsx = Path(got.value.path()).read_bytes()
    assert xlsx[:2] == b"PK"  # a zip container, as every XLSX is
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("차량 번호(내부)", "차량번호") and len(values) == len(rows)
    assert sum(row[values[0].index("마일리지")] for row in values[1:]) == total

    page.get_by_role("button", name="미리보기 확인 후 승인").click()
    assert page.get_by_test_id("run-status").inner_text() == "상태: 승인됨"
    services.pay_due(run, PAY_ON)  # the daily job on the ECO-12 payment date
    page.get_by_role("button", name="로그아웃").click()

    best = awarded.order_by("-mileage", "vehicle_id").first()
    citizen = User.objects.get(pk=best.owner_id)
    citizen.set_password(factories.PASSWORD)
    citizen.save(update_fields=["password"])
    login_as(page, citizen, factories.PASSWORD)
    page.goto(live_server.url + "/evaluations/mine/")
    assert page.locator("h1").inner_text() == "나의 평가와 마일리지"
    assert page.get_by_test_id("wallet-balance").inner_text() == f"{best.mileage:,}"
    section = page.get_by_role("region", name=f"{best.plate} {best.cycle}주기")
    assert f"{best.mileage:,} 마일리지" in section.inner_text()
    assert f"지급일 {PAY_ON.year}. {PAY_ON.month}. {PAY_ON.day}." in section.inner_text()
    section.get_by_text("평가 근거 보기").click()
    explanation = section.get_by_test_id("explanation").inner_text()
    assert "ECO-9" in explanation and "마일리지" in explanation  # the Korean trace
    assert f"{best.mileage:,}" in page.get_by_test_id("wallet-history").inner_text()
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshot_dir / "evaluation-mine.png"), full_page=True)
    assert failed == []
