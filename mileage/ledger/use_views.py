"""마일리지 사용 (/wallet/use/): the catalogue, the form, the confirmation step and receipts.

The confirmation page carries a fresh idempotency key (hidden field) made when it is rendered;
the confirming POST sends it, so a repeated click or a parallel double submit pays once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.core.guards import guard

from . import services as ledger
from . import uses
from .errors import IdempotencyConflict, InsufficientMileage
from .forms import KEY_RE, UseForm, masked
from .models import AccountKind, ExternalUse, UseKind, UseOption
from .params import use_limits

citizen_only = guard(scope.is_citizen)


def _option(slug: str) -> UseOption:
    return get_object_or_404(UseOption.objects.exclude(kind=UseKind.COUPON), slug=slug, active=True)


def _form(request: HttpRequest, option: UseOption, data: Any = None) -> UseForm:
    wallet = ledger.account(AccountKind.WALLET, user=request.user)
    today = timezone.localdate()
    return UseForm(
        data,
        option=option,
        limits=use_limits(option.kind, today),
        spendable=ledger.spendable(wallet, today),
    )


def _render_form(request: HttpRequest, option: UseOption, form: UseForm, status: int = 200):
    balance = ledger.balance(ledger.account(AccountKind.WALLET, user=request.user))
    return render(
        request,
        "ledger/use_form.html",
        {"option": option, "form": form, "limits": form.limits, "balance": balance},
        status=status,
    )


@citizen_only
def catalogue(request: HttpRequest) -> HttpResponse:
    """The city's catalogue of uses, each with its minimum, unit and cancel rule."""
    today = timezone.localdate()
    options = [
        (option, None if option.kind == UseKind.COUPON else use_limits(option.kind, today))
        for option in UseOption.objects.filter(active=True)
    ]
    wallet = ledger.account(AccountKind.WALLET, user=request.user)
    recent = ExternalUse.objects.filter(user=request.user).select_related("option")
    return render(
        request,
        "ledger/use_catalogue.html",
        {
            "options": options,
            "balance": ledger.balance(wallet),
            "recent": recent.order_by("-requested_at", "-pk")[:10],
        },
    )


@citizen_only
def use_form(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form. POST: check it, then show the confirmation step (nothing is spent yet)."""
    option = _option(slug)
    if request.method != "POST":
        return _render_form(request, option, _form(request, option))
    form = _form(request, option, request.POST)
    if not form.is_valid():
        return _render_form(request, option, form, status=400)
    amount = form.cleaned_data["amount"]
    reference = form.cleaned_data.get("reference", "")
    return render(
        request,
        "ledger/use_confirm.html",
        {
            "option": option,
            "amount": amount,
            "reference": reference,
            "shown_reference": masked(reference, option.kind),
            "reference_label": form.reference_field.label if form.reference_field else "",
            "balance_after": uses.balance_after(request.user, amount),
            "cancel_rule": form.limits.cancel_rule(),
            "key": uuid.uuid4().hex,
        },
    )


@require_POST
@citizen_only
def use_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Spend: hold, call the outside system, settle or return; then the receipt."""
    option = _option(slug)
    form = _form(request, option, request.POST)
    key = request.POST.get("key", "")
    if not KEY_RE.match(key):
        form.is_valid()
        form.add_error(None, "신청 정보가 올바르지 않습니다. 금액을 다시 확인하고 신청해 주세요.")
        return _render_form(request, option, form, status=400)
    full_key = f"web:{request.user.pk}:{key}"
    done = ExternalUse.objects.filter(key=full_key, user=request.user).first()
    if done is not None:  # a repeated click after the first one finished: its receipt
        return redirect("wallet:receipt", use_id=done.pk)
    if not form.is_valid():
        return _render_form(request, option, form, status=400)
    amount = form.cleaned_data["amount"]
    try:
        use = uses.request_use(
            request.user,
            option,
            amount,
            form.cleaned_data.get("reference", ""),
            key=full_key,
        )
    except InsufficientMileage:
        form.add_error("amount", "잔액이 부족합니다. 사용할 마일리지를 다시 확인해 주세요.")
        return _render_form(request, option, form, status=409)
    except IdempotencyConflict as error:
        form.add_error(None, str(error.message))
        return _render_form(request, option, form, status=409)
    if use.status == ExternalUse.Status.RETURNED:
        form.add_error(
            "amount",
            f"{use.failure} 신청한 {use.amount:,} 마일리지는 모두 돌려드렸습니다. "
            "잠시 후 다시 시도해 주세요.",
        )
        response = _render_form(request, option, form, status=409)
        return response
    return redirect("wallet:receipt", use_id=use.pk)


@citizen_only
def receipt(request: HttpRequest, use_id: int) -> HttpResponse:
    """One use's receipt, for its owner only (anyone else gets 404)."""
    use = get_object_or_404(
        ExternalUse.objects.select_related("option"), pk=use_id, user=request.user
    )
    wallet = ledger.account(AccountKind.WALLET, user=request.user)
    limits = use_limits(use.use, timezone.localtime(use.requested_at).date())
    return render(
        request,
        "ledger/use_receipt.html",
        {
            "use": use,
            "shown_reference": masked(use.reference, use.use),
            "cancel_rule": limits.cancel_rule(),
            "balance": ledger.balance(wallet),
        },
    )
