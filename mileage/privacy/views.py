"""The city's review page of the personal-data access log (city only, Korean, filterable)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mileage.accounts import scope
from mileage.core.guards import guard

from .models import AccessKind, PersonalDataAccess

PAGE_SIZE = 100
ROLES = {
    "official": "구청·주민센터 담당자",
    "city": "서울시 담당자",
    "partner": "협력기관 담당자",
    "partner-key": "협력기관 API 키",
    "staff": "관리자",
}

city_only = guard(scope.is_city)


def _date(raw: str | None) -> tuple[dt.date | None, str]:
    if not raw:
        return None, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, "날짜를 YYYY-MM-DD 형식으로 입력해 주세요."


def filtered(params: Any) -> tuple[Any, dict[str, str], str]:
    """The log rows matching the page's filters, the filters as given, and a Korean error."""
    rows = PersonalDataAccess.objects.select_related("actor", "subject", "partner")
    given = {
        k: (params.get(k) or "").strip()[:150] for k in ("actor", "subject", "kind", "start", "end")
    }
    error = ""
    if given["actor"]:
        rows = rows.filter(actor__username=given["actor"]) | rows.filter(
            api_key_prefix=given["actor"]
        )
    if given["subject"]:
        rows = rows.filter(subject__username=given["subject"])
    if given["kind"]:
        if given["kind"] in AccessKind.values:
            rows = rows.filter(kind=given["kind"])
        else:
            error = "알 수 없는 종류입니다."
    start, problem = _date(given["start"])
    error = error or problem
    end, problem = _date(given["end"])
    error = error or problem
    if start:
        rows = rows.filter(at__date__gte=start)
    if end:
        rows = rows.filter(at__date__lte=end)
    return rows.order_by("-at", "-id"), given, error


@city_only
def access_log(request: HttpRequest) -> HttpResponse:
    rows, given, error = filtered(request.GET)
    if error:
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in given.items() if v})
    return render(
        request,
        "privacy/access_log.html",
        {
            "page": page,
            "given": given,
            "kinds": AccessKind.choices,
            "roles": ROLES,
            "error": error,
            "query": query,
        },
        status=400 if error else 200,
    )
