"""The city's pages: every enrolment with totals per insurer (and a bar chart), starting a
pilot evaluation run, and the bank-transfer export (PILOT-8)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.evaluations.models import EvaluationRun
from mileage.privacy import access
from mileage.privacy.models import AccessKind

from .. import queries
from ..chart import bar_chart_svg
from ..models import Status
from ..programmes import PILOT_2014, pilot_2014
from ..services import payout
from ..services.evaluate import start_pilot_run
from .access import city_only


def _date(value: str | None, default: dt.date) -> dt.date | None:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@city_only
def report(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    rows = queries.visible_to(request.user)
    totals = queries.totals_per_insurer(rows)
    chosen = request.GET.get("status", "")
    shown = rows.filter(status=chosen) if chosen in Status.values else rows
    programme = pilot_2014()
    return render(
        request,
        "pilot/city.html",
        {
            "programme": programme,
            "totals": totals,
            "sum": {k: sum(t[k] for t in totals) for k in ("enrolled", "awarded", "mileage")},
            "chart_enrolled": bar_chart_svg(
                [(t["name"], t["enrolled"]) for t in totals], title="보험사별 가입 차량", unit="대"
            ),
            "chart_mileage": bar_chart_svg(
                [(t["name"], t["mileage"]) for t in totals], title="보험사별 인센티브", unit="원"
            ),
            "rows": shown.select_related("outcome")[:500],
            "total": shown.count(),
            "statuses": Status.choices,
            "status": chosen,
            "runs": EvaluationRun.objects.filter(programme=PILOT_2014)[:10],
            "error": error,
            "window_from": programme.starts_on,
            "window_to": timezone.localdate() - dt.timedelta(days=1),  # the last ended day
        },
        status=status,
    )


@require_POST
@city_only
def evaluate(request: HttpRequest) -> HttpResponse:
    """Start a pilot evaluation run; its preview, sign-off and payment are the runs' pages."""
    window_from = _date(request.POST.get("window_from"), pilot_2014().starts_on)
    window_to = _date(request.POST.get("window_to"), timezone.localdate() - dt.timedelta(days=1))
    if window_from is None or window_to is None:
        return report(request, status=400, error="날짜를 YYYY-MM-DD 형식으로 입력해 주세요.")
    run = start_pilot_run(request.user, window_from, window_to)
    return redirect("evaluations:run", run_id=run.pk)


@city_only
def transfers(request: HttpRequest) -> HttpResponse:
    """GET: what is due on a day (masked); POST: pay it and download the transfer file."""
    on = _date(request.POST.get("on") or request.GET.get("on"), timezone.localdate())
    if on is None:
        return render(
            request,
            "pilot/transfers.html",
            {"error": "날짜를 YYYY-MM-DD 형식으로 입력해 주세요.", "on": timezone.localdate()},
            status=400,
        )
    if request.method != "POST":
        due, paid = list(payout.due(on)), list(payout.paid_on(on))
        access.record(
            request,
            AccessKind.PAYOUT_LIST,
            subject_count=len({o.enrolment.member_id for o in due}),
            record=f"계좌 이체 대상 {on:%Y-%m-%d}",
        )
        return render(request, "pilot/transfers.html", {"on": on, "due": due, "paid": paid})
    fmt = request.POST.get("format", "csv")
    problem = "" if fmt in ("csv", "xlsx") else "파일 형식은 CSV 또는 XLSX입니다."
    reason = request.POST.get("reason", "")
    problem = problem or access.reason_problem(reason)
    if problem:  # refused before anything is paid or read
        return render(
            request,
            "pilot/transfers.html",
            {"on": on, "error": problem, "due": payout.due(on), "reason": reason[:300]},
            status=400,
        )
    export = payout.export_bank_transfers(request.user, on)
    access.record(
        request,
        AccessKind.PAYOUT_FILE,
        subject_count=len({t.enrolment_id for t in export.transfers}),
        record=f"계좌 이체 파일 {on:%Y-%m-%d} ({len(export.transfers)}건)",
        reason=reason,
    )
    name = f"pilot-transfers-{on:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(payout.transfers_csv(export), content_type="text/csv")
    else:
        response = HttpResponse(
            payout.transfers_xlsx(export),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # clear account numbers: never cached
    return response
