"""Budget what-if (정책 시뮬레이션, issue #14): the current side equals a real run's preview on the
same data, a changed tier moves the total by the hand-computed amount, nothing is paid or run,
bad input is refused in Korean with the form kept, the page shows a chart, XLSX opens."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from mileage.core.models import AuditEntry
from mileage.evaluations import services as runs
from mileage.evaluations.models import EvaluationRun, Result
from mileage.ledger.models import Posting, Transaction
from mileage.whatif import services
from mileage.whatif.errors import BadWindow, NoChanges
from mileage.whatif.models import Simulation, SimulationStatus
from mileage.whatif.services import ChangeRefused
from tests.evaluations.conftest import WINDOW
from tests.factories import city_manager, mapo_citizen, mapo_official

pytestmark = pytest.mark.django_db
PAGE = "/city/whatif/"
KM_TIERS = "eco.regular_km_tiers"
PCT_TIERS = "eco.regular_pct_tiers"
PLUS_10000_KM = (
    '[{"from": 0, "mileage": 30000}, {"from": 1000, "mileage": 40000},'
    ' {"from": 2000, "mileage": 60000}, {"from": 3000, "mileage": 80000}]'
)
PLUS_10000_PCT = (
    '[{"from": 0, "mileage": 30000}, {"from": 10, "mileage": 40000},'
    ' {"from": 20, "mileage": 60000}, {"from": 30, "mileage": 80000}]'
)
EVERY_TIER_PLUS_10000 = [
    {"name": KM_TIERS, "key": "2000-01-01", "value": PLUS_10000_KM},
    {"name": PCT_TIERS, "key": "2000-01-01", "value": PLUS_10000_PCT},
]


def _form(rows: list[dict[str, str]], **extra: str) -> dict[str, str]:
    form = {"programme": "eco-car", "window_from": "2025-05-01", "window_to": "2025-06-30"}
    for i in range(3):
        row = rows[i] if i < len(rows) else {}
        for k in ("name", "key", "value"):
            form[f"{k}_{i}"] = row.get(k, "")
    return {**form, **extra}


def _whatif(manager, rows, chunk_size: int = 15) -> Simulation:  # type: ignore[no-untyped-def]
    sim = services.start(manager, "eco-car", *WINDOW, rows, chunk_size=chunk_size)
    return services.run_simulation(sim)


def _written() -> tuple[int, ...]:
    return (
        EvaluationRun.objects.count(),
        Result.objects.count(),
        Transaction.objects.count(),
        Posting.objects.count(),
    )


def test_the_current_side_is_a_real_runs_preview_on_the_same_data(vehicles, manager) -> None:
    sim = _whatif(manager, EVERY_TIER_PLUS_10000)
    assert sim.status == SimulationStatus.DONE and sim.chunks_total == 3
    run = runs.run_evaluation(runs.start_run(manager, *WINDOW, chunk_size=15))
    preview = runs.totals(run)
    summary = sim.summary
    assert preview["mileage"] > 0
    assert summary["current"] == {
        "cycles": preview["cycles"],
        "awarded": preview["awarded"],
        "mileage": preview["mileage"],
    }
    by_district = {row["district_code"]: row["mileage"] for row in preview["by_district"]}
    assert {code: v["current"]["mileage"] for code, v in summary["districts"].items()} == (
        by_district
    )
    by_tier = {f"{t['kind']}|{t['tier']}": t["mileage"] for t in preview["by_tier"]}
    assert {
        k: v["current"]["mileage"] for k, v in summary["tiers"].items() if v["current"]["cycles"]
    } == by_tier


def test_every_tier_plus_10000_moves_the_total_by_10000_per_regular_award(
    vehicles, manager
) -> None:
    run = runs.run_evaluation(runs.start_run(manager, *WINDOW, chunk_size=15))
    regular = Result.objects.filter(run=run, status="awarded", kind="regular")
    n = regular.count()
    assert n > 0
    before = _written()
    sim = _whatif(manager, EVERY_TIER_PLUS_10000)
    assert _written() == before  # no run, result, transaction or posting
    report = services.report(sim)
    assert report["difference"] == 10000 * n  # hand-computed: every regular award one step up
    assert report["members"]["gain"] == n and report["members"]["lose"] == 0
    assert report["members"]["gained"] == 10000 * n
    for tier in report["tiers"]:
        if tier["kind"] == "regular" and tier["current_cycles"]:
            shifted = next(t for t in report["tiers"] if t["tier"] == tier["tier"] + 10000)
            assert shifted["proposed_cycles"] == tier["current_cycles"]
    assert AuditEntry.objects.filter(action="whatif.run").count() == 1


def test_a_lower_maintenance_award_is_a_loss_for_those_members(vehicles, manager) -> None:
    run = runs.run_evaluation(runs.start_run(manager, *WINDOW, chunk_size=15))
    kept = Result.objects.filter(run=run, status="awarded", kind="maintenance").count()
    sim = _whatif(
        manager, [{"name": "eco.maintenance_award", "key": "2023-05-01", "value": "4000"}]
    )
    report = services.report(sim)
    assert report["difference"] == -6000 * kept
    assert report["members"]["lose"] == kept


def test_no_change_is_refused(vehicles, manager) -> None:
    with pytest.raises(NoChanges):
        services.start(manager, "eco-car", *WINDOW, [{"name": "", "key": "", "value": ""}])
    same = [{"name": "eco.maintenance_award", "key": "2023-05-01", "value": "10000"}]
    with pytest.raises(NoChanges) as refused:
        services.start(manager, "eco-car", *WINDOW, same)
    assert "바꾼 파라미터가 없습니다" in refused.value.message
    assert not Simulation.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"name": "eco.maintenance_award", "key": "2023-05-01", "value": "10,000원"}, "정수여야"),
        ({"name": KM_TIERS, "key": "2000-01-01", "value": "30000"}, "같은 형식의 표"),
        ({"name": "eco.no_such", "key": "2000-01-01", "value": "1"}, "알 수 없는 파라미터"),
        ({"name": "pilot.ev_bonus_pct", "key": "2014-10-01", "value": "30"}, "바꿀 수 있는"),
        ({"name": "common.seoul_average_annual_km", "key": "2022-01-01", "value": "9000"}, "연도"),
    ],
)
def test_bad_values_are_refused_naming_the_row(manager, row, message) -> None:  # type: ignore[no-untyped-def]
    blank = {"name": "", "key": "", "value": ""}
    with pytest.raises(ChangeRefused) as refused:
        services.start(manager, "eco-car", *WINDOW, [blank, row])
    assert message in refused.value.message and refused.value.detail == {"row": 1}
    assert not Simulation.objects.exists()


def test_a_window_ending_before_it_starts_is_refused(manager) -> None:
    with pytest.raises(BadWindow):
        services.start(manager, "eco-car", WINDOW[1], WINDOW[0], EVERY_TIER_PLUS_10000)


def test_the_page_runs_it_and_shows_the_chart_and_the_xlsx(vehicles, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city_manager())
    assert "정책 시뮬레이션" in client.get("/dashboard/").content.decode()
    assert "정책 시뮬레이션" in client.get("/city/parameters/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "<h1>정책 시뮬레이션</h1>" in page and KM_TIERS in page
    response = client.post(PAGE, _form(EVERY_TIER_PLUS_10000))
    assert response.status_code == 302
    sim = Simulation.objects.get()
    assert response["Location"] == f"{PAGE}{sim.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="whatif-chart"' in detail and "<title" in detail and "<desc" in detail
    assert "현재 기준" in detail and "변경안" in detail and "완료" in detail
    assert "2000. 1. 1.부터" in detail
    assert any(name in detail for name in ("마포구", "강남구", "종로구"))
    assert "2025-05-01" not in detail  # Korean dates for people
    xlsx = client.get(f"{PAGE}{sim.pk}.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["요약", "자치구별", "등급별", "바꾼 파라미터"]
    header = [c.value for c in book["자치구별"][1]]
    assert header[:4] == ["자치구", "평가 건수", "지급 대상(현재)", "마일리지(현재)"]
    districts = {row[0].value for row in book["자치구별"].iter_rows(min_row=2)}
    assert districts and all(name.endswith("구") for name in districts)
    assert book["자치구별"].column_dimensions["A"].width >= 8
    summary = {row[0].value: row for row in book["요약"].iter_rows(min_row=2)}
    assert summary["지급 마일리지 합계"][3].value == services.report(sim)["difference"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"whatif.run", "whatif.export"} <= actions


def test_a_refused_value_comes_back_in_korean_with_the_form_as_typed(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city_manager())
    row = {"name": "eco.maintenance_award", "key": "2023-05-01", "value": "10,000원"}
    response = client.post(PAGE, _form([row]))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "정수여야 합니다" in page
    assert "10,000원" in page and 'value="2023-05-01"' in page
    assert '<option value="eco.maintenance_award" selected>' in page
    empty = client.post(PAGE, _form([])).content.decode()
    assert "바꾼 파라미터가 없습니다" in empty
    assert not Simulation.objects.exists()


def test_only_city_managers(client, manager) -> None:  # type: ignore[no-untyped-def]
    sim = services.run_simulation(
        services.start(manager, "eco-car", *WINDOW, EVERY_TIER_PLUS_10000)
    )
    urls = [PAGE, f"{PAGE}{sim.pk}/", f"{PAGE}{sim.pk}/progress/", f"{PAGE}{sim.pk}.xlsx"]
    for url in urls:
        assert client.get(url).status_code == 302
    for user in (mapo_citizen(), mapo_official()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(PAGE, _form(EVERY_TIER_PLUS_10000)).status_code == 403
    assert Simulation.objects.count() == 1
