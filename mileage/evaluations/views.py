"""Pages: city runs (start, progress, preview, sign-off, pay, export), district results, and the
citizen's evaluations with their explanation (ECO-5..12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.accounts.models import District
from mileage.core import audit
from mileage.core.charts import bar_chart_svg, column_chart_svg
from mileage.core.errors import Forbidden
from mileage.core.guards import guard
from mileage.core.sheets import Column, sheet_response
from mileage.privacy import access
from mileage.privacy.models import AccessKind
from mileage.readings.queries import approved_histories
from mileage.rules import explain

from . import chart, programmes, queries, services, stats, tasks
from .models import EvaluationRun, Programme, ResultStatus, RunStatus

EXPORT_FIELDS = (  # a result's fields in the file, beside their Korean headers (EXPORT_COLUMNS)
    "vehicle_id", "plate", "district_code", "cycle", "start_on", "end_on", "days", "baseline_km",
    "driven_km", "reduction_km", "reduction_pct", "status", "kind", "tier", "mileage",
    "payment_on", "reasons", "key",
)  # fmt: skip
DATE, WON = "yyyy. m. d.", "#,##0"
EXPORT_COLUMNS = (
    Column("차량 번호(내부)", 10),
    Column("차량번호", 12),
    Column("자치구", 10),
    Column("주기", 6),
    Column("시작일", 12, DATE),
    Column("종료일", 12, DATE),
    Column("일수", 6, WON),
    Column("기준 주행거리(km)", 16, WON),
    Column("주행거리(km)", 13, WON),
    Column("감축 거리(km)", 13, WON),
    Column("감축률(%)", 10),
    Column("결과", 10),
    Column("구분", 14),
    Column("등급 금액", 11, WON),
    Column("마일리지", 11, WON),
    Column("지급일", 12, DATE),
    Column("사유(근거)", 24),
    Column("원장 키", 34),
)
KIND_LABELS = {"regular": "감축 마일리지", "maintenance": "유지 마일리지", "seasonal": "계절관리제"}


def _export_rows(values: Any) -> Any:
    """Result rows as officials read them: district names, Korean result and kind."""
    districts = dict(District.objects.values_list("code", "name_ko"))
    statuses = dict(ResultStatus.choices)
    for row in values.iterator(chunk_size=5000):
        cells = list(row)
        cells[2] = districts.get(cells[2], cells[2])
        cells[11] = statuses.get(cells[11], cells[11])
        cells[12] = KIND_LABELS.get(cells[12], cells[12] or "")
        yield cells


# Runs are for the city and officials (an official sees their district's part of a run);
# starting, signing off and paying them is the city's.
staff_only = guard(scope.is_official_or_city)
city_only = guard(scope.is_city)
citizen_only = guard(scope.is_citizen)


def _run_for(request: HttpRequest, run_id: int) -> EvaluationRun:
    return get_object_or_404(queries.runs_visible_to(request.user), pk=run_id)


@staff_only
def run_list(request: HttpRequest) -> HttpResponse:
    runs = queries.runs_visible_to(request.user)
    if request.method == "POST":
        if not scope.is_city(request.user):  # officials may look, only the city starts a run
            raise Forbidden()
        try:
            window_from = dt.date.fromisoformat(request.POST.get("window_from", ""))
            window_to = dt.date.fromisoformat(request.POST.get("window_to", ""))
        except ValueError:
            return render(
                request,
                "evaluations/run_list.html",
                {
                    "runs": runs[:50],
                    "programmes": programmes.registry().values(),
                    "error": "날짜를 YYYY-MM-DD 형식으로 입력하세요.",
                },
                status=400,
            )
        programme = request.POST.get("programme") or "eco-car"
        # handed to the workers; refused with a Korean 503 (no run left) if the broker is down
        run = tasks.start_evaluation(request.user, window_from, window_to, programme=programme)
        return redirect("evaluations:run", run_id=run.pk)
    names = {code: p.name for code, p in programmes.registry().items()}
    rows = list(runs[:50])
    for run in rows:
        run.programme_name = names.get(run.programme, run.programme)
    return render(
        request,
        "evaluations/run_list.html",
        {"runs": rows, "programmes": programmes.registry().values()},
    )


@staff_only
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    district = scope.official_district(request.user)
    code = district.code if district else None
    totals = services.totals(run, district_code=code)
    results = queries.results_visible_to(request.user).filter(run=run)
    rows = list(
        results.filter(status="awarded")
        .values("district_code", "kind", "tier")
        .annotate(mileage=Sum("mileage"), cycles=Count("id"))
    )
    names = dict(District.objects.values_list("code", "name_ko"))
    for row in totals["by_district"]:
        row["name"] = names.get(row["district_code"], row["district_code"])
    trail = list(
        audit.about(EvaluationRun.objects.filter(pk=run.pk)).select_related("actor").order_by("at")
    )
    for entry in trail:
        entry.label = audit.action_label(entry.action)
    return render(
        request,
        "evaluations/run_detail.html",
        {
            "run": run,
            "totals": totals,
            "progress": services.progress_of(run),
            "chart": chart.awards_svg(rows, names),
            "names": names,
            "results": results.order_by("district_code", "vehicle_id")[:200],
            "is_city": scope.is_city(request.user),
            "programme_name": services.programme_name(run.programme),
            "cancellable": run.status in (RunStatus.EVALUATING, RunStatus.EVALUATED),
            "trail": trail,
        },
    )


@staff_only
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    return render(
        request, "evaluations/_progress.html", {"run": run, "progress": services.progress_of(run)}
    )


@city_only
@require_POST
def run_sign_off(request: HttpRequest, run_id: int) -> HttpResponse:
    run = services.sign_off(_run_for(request, run_id), request.user)
    summary = services.totals(run)
    messages.success(
        request,
        f"승인했습니다. 지급 대상 {summary['awarded']:,}건, 마일리지 {summary['mileage']:,}.",
    )
    return redirect("evaluations:run", run_id=run_id)


@city_only
@require_POST
def run_pay(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    # raises the Korean "not signed off" error, or the 503 "broker down" one (nothing paid)
    on = timezone.localdate()  # the payment day: Seoul's date now
    tasks.start_payment(run, on)
    done = services.record_payment(run, request.user, on)
    messages.success(request, f"지급을 시작했습니다: {done}.")
    return redirect("evaluations:run", run_id=run_id)


@city_only
@require_POST
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    """Cancel a run before sign-off, with a reason (issue #14); refused in Korean otherwise."""
    run = services.cancel(_run_for(request, run_id), request.user, request.POST.get("reason", ""))
    messages.success(request, f"{services.describe(run)}을 취소했습니다.")
    return redirect("evaluations:run", run_id=run_id)


@staff_only
def run_export(request: HttpRequest, run_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    run = _run_for(request, run_id)
    reason = request.GET.get("reason", "")
    problem = access.reason_problem(reason)
    if problem:  # plates tie each row to a citizen: a download of personal data needs a reason
        return render(
            request,
            "evaluations/export_reason.html",
            {"run": run, "fmt": fmt, "error": problem},
            status=400,
        )
    rows = queries.results_visible_to(request.user).filter(run=run).order_by("vehicle_id", "cycle")
    access.record(
        request,
        AccessKind.RESULTS_FILE,
        subject_count=rows.values("owner_id").distinct().count(),
        record=f"평가 실행 #{run.pk} 결과 파일 ({fmt.upper()})",
        reason=reason,
    )
    audit.record(
        request.user,
        "run.export",
        run,
        reason=reason,
        data={"format": fmt, "rows": rows.count(), "programme": run.programme},
    )
    return sheet_response(
        "평가 결과",
        EXPORT_COLUMNS,
        _export_rows(rows.values_list(*EXPORT_FIELDS)),
        fmt=fmt,
        filename=f"evaluation-run-{run.pk}",
    )


@staff_only
def eco_stats(request: HttpRequest) -> HttpResponse:
    """City-wide eco figures by month and district with charts (issue #14); an official sees
    their district. `?year=` picks the year, `?format=csv|xlsx` downloads the table (audited)."""
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
    report = stats.eco_report(request.user, year)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        audit.record(
            request.user, "stats.export", data={"report": "eco", "year": year, "format": fmt}
        )
        return sheet_response(
            f"에코마일리지 {year}년",
            stats.COLUMNS,
            stats.sheet_rows(report),
            fmt=fmt,
            filename=f"eco-mileage-{year}",
        )
    months = [(m, report.months.get(m)) for m in range(1, 13)]
    districts = sorted(report.districts.items(), key=lambda kv: -kv[1].participants)
    return render(
        request,
        "evaluations/stats.html",
        {
            "report": report,
            "months": months,
            "districts": districts,
            "years": list(range(today.year, today.year - 6, -1)),
            "chart_reduced": column_chart_svg(
                [(f"{m}월", round(f.reduced_km) if f else 0) for m, f in months],
                title=f"{year}년 월별 감축 거리 (km)",
                unit="km",
                css_class="stats-chart",
            ),
            "chart_paid": column_chart_svg(
                [(f"{m}월", f.paid if f else 0) for m, f in months],
                title=f"{year}년 월별 지급 마일리지",
                unit="마일리지",
                css_class="stats-chart",
            ),
            "chart_districts": bar_chart_svg(
                [(name, f.participants) for name, f in districts],
                title=f"{year}년 자치구별 참여 차량",
                unit="대",
                css_class="stats-chart",
            ),
        },
    )


@citizen_only
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """The citizen's evaluations, each with the rules engine's Korean explanation."""
    results = list(
        queries.results_visible_to(request.user)
        .exclude(run__status="cancelled")
        .select_related("run")
        .order_by("-end_on")
    )
    histories = {}
    vehicle_ids = {r.vehicle_id for r in results}
    for history in approved_histories(vehicle_ids) if vehicle_ids else []:
        histories[history.vehicle_id] = history
    from mileage.ledger import services as ledger

    wallet = ledger.account("wallet", user=request.user)
    return render(
        request,
        "evaluations/mine.html",
        {
            "results": [(r, _explanation(r, histories.get(r.vehicle_id))) for r in results],
            "balance": ledger.balance(wallet),
            "history": ledger.history(wallet, limit=10),
        },
    )


def _explanation(result: Any, history: Any) -> list[str]:
    """The rules engine's Korean trace of the case this result came from: the eco-car history
    (ECO-5..12) for the annual runs, the matching season (ECO-15..17) for the seasonal run.
    Programmes run through partners explain themselves on their own pages (pilot)."""
    if history is None:
        return []
    programme = result.run.programme
    if programme == Programme.ECO_CAR:
        return [line.text("ko") for line in explain(history.case())]
    if programme == Programme.ECO_SEASONAL:
        for case in history.seasonal_cases():
            end = case["readings"][-1]
            ended_on = dt.date.fromisoformat(end["taken"] or end["uploaded"])  # C-1
            if ended_on.year == result.cycle:  # the seasonal run's cycle is the season's year
                return [line.text("ko") for line in explain(case)]
    return []
