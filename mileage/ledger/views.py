"""내 마일리지 (/wallet/): balance, LEDGER-2 expiry schedule, paged and filtered history, CSV."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mileage.accounts import scope
from mileage.core.guards import guard

from . import queries
from . import services as ledger
from .models import AccountKind, TxKind
from .params import expiry_years

citizen_only = guard(scope.is_citizen)
PAGE_SIZE = 20


def _filters(request: HttpRequest) -> tuple[str, Any, str]:
    programme = request.GET.get("programme", "")
    if programme not in queries.FILTERS:
        programme = ""
    raw_month = request.GET.get("month", "")
    month = queries.parse_month(raw_month)
    return programme, month, raw_month if month else ""


@citizen_only
def wallet(request: HttpRequest) -> HttpResponse:
    """The member's balance (잔액), what expires when, and the full history with paging."""
    acct = ledger.account(AccountKind.WALLET, user=request.user)
    today = timezone.localdate()
    programme, month, raw_month = _filters(request)
    rows = queries.wallet_postings(acct, programme=programme, month=month)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{name}={value}"
        for name, value in (("programme", programme), ("month", raw_month))
        if value
    )
    return render(
        request,
        "ledger/wallet.html",
        {
            "balance": ledger.balance(acct),
            "spendable": ledger.spendable(acct, today),
            "expiry_years": expiry_years(today),
            "expiring": queries.expiry_schedule(acct, today),
            "page": page,
            "filters": queries.FILTERS.items(),
            "months": queries.history_months(acct),
            "programme": programme,
            "month": raw_month,
            "query": query,
        },
    )


@citizen_only
def wallet_csv(request: HttpRequest) -> HttpResponse:
    """The history (same filters as the page) as CSV, UTF-8 with a BOM so spreadsheets read Korean."""
    acct = ledger.account(AccountKind.WALLET, user=request.user)
    programme, month, raw_month = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"mileage-history-{raw_month}.csv" if raw_month else "mileage-history.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow(["날짜", "구분", "내용", "금액"])
    kinds = dict(TxKind.choices)
    for posting in queries.wallet_postings(acct, programme=programme, month=month).iterator(
        chunk_size=1000
    ):
        tx = posting.transaction
        out.writerow([tx.effective_on.isoformat(), kinds.get(tx.kind, ""), tx.memo, posting.amount])
    return response
