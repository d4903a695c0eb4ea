"""The city's whole audit trail (issue #14): every decision, correction, parameter change, run
step, void, programme change and export, with Korean labels, filtered by action, paged, and as
CSV. District officials keep their district's vehicle trail at /eco/audit/."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mileage.accounts.scope import is_city
from mileage.core import audit
from mileage.core.guards import guard
from mileage.core.models import AuditEntry
from mileage.core.sheets import Column, sheet_response
from mileage.core.text import korean_datetime

city_only = guard(is_city, "시 담당자만 전체 처리 기록을 볼 수 있습니다.")
COLUMNS = (
    Column("일시", 18),
    Column("처리자", 14),
    Column("처리", 18),
    Column("대상", 28),
    Column("사유", 20),
    Column("변경", 40),
    Column("메모", 30),
)
CSV_LIMIT = 100_000


def _subject(entry: AuditEntry) -> str:
    subject = entry.subject
    if subject is None:
        return str((entry.data or {}).get("item", ""))
    plate = getattr(subject, "plate", None)
    return str(plate or subject)


def _row(entry: AuditEntry) -> list[Any]:
    return [
        korean_datetime(entry.at),
        str(entry.actor or entry.partner or ""),
        audit.action_label(entry.action),
        _subject(entry),
        entry.reason,
        audit.change_of(entry),
        entry.note,
    ]


@city_only
def city_audit(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor", "partner").prefetch_related("subject")
    action = request.GET.get("action", "")
    if action in audit.ACTION_LABELS:
        entries = entries.filter(action=action)
    entries = entries.order_by("-at", "-id")
    if request.GET.get("format") == "csv":
        audit.record(request.user, "stats.export", data={"report": "audit", "action": action})
        return sheet_response(
            "처리 기록",
            COLUMNS,
            (_row(e) for e in entries[:CSV_LIMIT].iterator(chunk_size=2000)),
            fmt="csv",
            filename="audit",
        )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit.html",
        {
            "rows": [_row(e) for e in page.object_list],
            "page": page,
            "action": action,
            "actions": sorted(audit.ACTION_LABELS.items(), key=lambda item: item[1]),
        },
    )
