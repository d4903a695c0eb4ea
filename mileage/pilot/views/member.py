"""The member's pilot page (PILOT-5..8): 6-month distance, reduction, expected incentive with
the rules engine's Korean explanation, and the payout bank account (shown masked)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.core.input import FIRST_DAY, MAX_KM

from .. import errors, explain, queries
from ..models import BankAccount
from ..services import bank
from .access import citizen_only


def _page(request: HttpRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    rows = list(queries.visible_to(request.user).prefetch_related("readings"))
    cards = [(e, explain.view_of(e)) for e in rows]
    account = BankAccount.objects.filter(member=request.user).first()
    return render(
        request,
        "pilot/member.html",
        {"cards": cards, "account": account, "today": timezone.localdate(), **extra},
        status=status,
    )


@citizen_only
def my_pilot(request: HttpRequest) -> HttpResponse:
    return _page(request)


@citizen_only
def estimate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """What the incentive would be with the odometer value the member types (nothing stored)."""
    enrolment = get_object_or_404(queries.visible_to(request.user), pk=enrolment_id)
    try:
        km = int(request.GET.get("km", ""))
        on = dt.date.fromisoformat(request.GET.get("on", ""))
        if not 0 <= km <= MAX_KM or not FIRST_DAY <= on <= dt.date(2199, 12, 31):
            raise ValueError  # issue #13, finding 5: a 309-digit km was an OverflowError
    except ValueError:
        return _page(
            request,
            status=400,
            estimate_for=enrolment.pk,
            estimate_error=(
                f"주행거리(0 ~ {MAX_KM:,} km의 숫자)와 날짜(YYYY-MM-DD)를 입력해 주세요."
            ),
        )
    return _page(
        request,
        estimate_for=enrolment.pk,
        estimate=explain.estimate(enrolment, km, on),
        estimate_km=km,
        estimate_on=on,
    )


@require_POST
@citizen_only
def bank_account(request: HttpRequest) -> HttpResponse:
    """PILOT-8: the payout account; stored encrypted, answered masked."""
    try:
        account = bank.set_bank_account(
            request.user,
            bank_name=request.POST.get("bank_name", ""),
            holder_name=request.POST.get("holder_name", ""),
            number=request.POST.get("number", ""),
        )
    except errors.BadBankAccount as exc:
        return _page(request, status=400, bank_error=exc.message)
    messages.success(request, f"지급 계좌를 저장했습니다 ({account.bank_name} {account.masked}).")
    return redirect("pilot:home")
