"""Pages: city runs (start, progress, preview, sign-off, pay, export), district results, and the
citizen's evaluations with their explanation (ECO-5..12)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from mileage.accounts import scope
from mileage.accounts.models import District
from mileage.core import audit
from mileage.core.errors import Forbidden
from mileage.core.guards import guard
from mileage.privacy import access
from mileage.privacy.models import AccessKind
from mileage.readings.queries import approved_histories
from mileage.rules import explain

from . import chart, programmes, queries, services, tasks
from .models import EvaluationRun, Programme, RunStatus

EXPORT_COLUMNS = (
    "vehicle_id",
    "plate",
    "district_code",
    "cycle",
    "start_on",
    "end_on",
    "days",
    "baseline_km",
    "driven_km",
    "reduction_km",
    "reduction_pct",
    "status",
    "kind",
    "tier",
    "mileage",
    "payment_on",
    "reasons",
    "key",
)


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
    values = rows.values_list(*EXPORT_COLUMNS)
    name = f"evaluation-run-{run.pk}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(values.iterator(chunk_size=5000))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("평가 결과")
        sheet.append(EXPORT_COLUMNS)
        for row in values.iterator(chunk_size=5000):
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


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
