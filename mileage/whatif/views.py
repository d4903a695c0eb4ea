"""Pages of the budget what-if (정책 시뮬레이션, issue #14), for city managers only: the form and
the list (`/city/whatif/`), a what-if's result with its chart (`/city/whatif/<id>/`), its
progress box (htmx) and its XLSX export (`/city/whatif/<id>.xlsx`)."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mileage.accounts import scope
from mileage.core import audit
from mileage.core.errors import DomainError
from mileage.core.guards import guard
from mileage.core.parameters import current_parameters
from mileage.evaluations.models import EvaluationRun

from . import chart, export, programmes, services, tasks
from .models import Simulation

city_only = guard(scope.is_city, "서울시 담당자만 정책 시뮬레이션을 할 수 있습니다.")
ROWS = 3  # changed parameters on the form (blank rows are skipped)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json(value: Any) -> str:
    """A parameter value as the form's value box takes it (JSON, as the parameter pages)."""
    return json.dumps(_plain(value), ensure_ascii=False)


def _choices() -> list[dict[str, Any]]:
    params = current_parameters()
    groups = []
    for spec in programmes.PROGRAMMES.values():
        items = []
        for name in spec.parameters:
            parameter = params.info(name)
            key = parameter.keys[-1]
            items.append(
                {
                    "name": name,
                    "label": programmes.PARAMETER_LABELS.get(name, name),
                    "key": str(key),
                    "value": _json(parameter.values[-1].value),
                    "by_year": parameter.by_year,
                }
            )
        groups.append({"code": spec.code, "name": spec.name, "parameters": items})
    return groups


def _default_window() -> tuple[str, str]:
    runs = EvaluationRun.objects.filter(programme="eco-car").exclude(status="cancelled")
    run = runs.order_by("-window_to").first()
    if run is None:
        return "", ""
    return run.window_from.isoformat(), run.window_to.isoformat()


def _page(
    request: HttpRequest, form: dict[str, Any], error: str = "", row_error: int | None = None
) -> HttpResponse:
    sims = list(Simulation.objects.select_related("created_by")[:20])
    for sim in sims:
        sim.programme_name = programmes.PROGRAMMES[sim.programme].name
    return render(
        request,
        "whatif/index.html",
        {
            "form": form,
            "error": error,
            "row_error": row_error,
            "programmes": programmes.PROGRAMMES.values(),
            "choices": _choices(),
            "simulations": sims,
        },
        status=400 if error else 200,
    )


@city_only
def index(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        window_from, window_to = _default_window()
        rows = [{"name": "", "key": "", "value": ""} for _ in range(ROWS)]
        form = {"programme": "eco-car", "window_from": window_from, "window_to": window_to}
        return _page(request, {**form, "rows": rows})
    rows = [
        {k: request.POST.get(f"{k}_{i}", "") for k in ("name", "key", "value")} for i in range(ROWS)
    ]
    form = {
        "programme": request.POST.get("programme", ""),
        "window_from": request.POST.get("window_from", ""),
        "window_to": request.POST.get("window_to", ""),
        "rows": rows,
    }
    try:
        sim = tasks.start_simulation(
            request.user,
            form["programme"],
            _date(form["window_from"]),
            _date(form["window_to"]),
            rows,
        )
    except DomainError as exc:  # the form comes back as typed, with the reason (nothing lost)
        if exc.status >= 500:
            raise
        row = exc.detail.get("row") if isinstance(exc.detail, dict) else None
        return _page(request, form, str(exc.message), row)
    return redirect("whatif:detail", sim_id=sim.pk)


@city_only
def detail(request: HttpRequest, sim_id: int) -> HttpResponse:
    sim = get_object_or_404(Simulation.objects.select_related("created_by"), pk=sim_id)
    report = services.report(sim)
    return render(
        request,
        "whatif/detail.html",
        {
            "sim": sim,
            "title": services.describe(sim),
            "report": report,
            "progress": services.progress_of(sim),
            "chart": chart.comparison_svg(report) if sim.status == "done" else "",
        },
    )


@city_only
def progress(request: HttpRequest, sim_id: int) -> HttpResponse:
    sim = get_object_or_404(Simulation, pk=sim_id)
    response = render(
        request, "whatif/_progress.html", {"sim": sim, "progress": services.progress_of(sim)}
    )
    if sim.status != "running":
        response["HX-Refresh"] = "true"  # finished: show the result page whole
    return response


@city_only
def export_xlsx(request: HttpRequest, sim_id: int) -> HttpResponse:
    sim = get_object_or_404(Simulation, pk=sim_id)
    if sim.status != "done":
        raise DomainError("계산이 끝난 뒤에 내려받을 수 있습니다.", status=409)
    audit.record(request.user, "whatif.export", sim, note=f"{services.describe(sim)} XLSX")
    response = HttpResponse(
        export.workbook(sim, services.report(sim)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="whatif-{sim.pk}.xlsx"'
    return response
