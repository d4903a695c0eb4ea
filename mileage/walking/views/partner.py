"""Partner pages: a walking app uploads step files (WALK-1); a merchant redeems codes (WALK-6)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mileage.ledger import idempotency
from mileage.partners.models import PartnerKind

from .. import queries
from ..errors import BadCsv
from ..services import coupons
from ..services.csv_import import import_csv
from .access import partner_of_kind, partner_only


@require_http_methods(["GET", "POST"])
@partner_only(PartnerKind.WALKING_APP)
def steps_upload(request: HttpRequest) -> HttpResponse:
    partner = partner_of_kind(request.user, PartnerKind.WALKING_APP)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            raise BadCsv("올릴 CSV 파일을 선택하세요.")
        result = import_csv(partner, upload, filename=upload.name, user=request.user)
        messages.success(
            request, f"{result.accepted:,}행을 반영했고 {len(result.errors):,}행은 거부했습니다."
        )
    return render(
        request,
        "walking/partner_steps.html",
        {
            "partner": partner,
            "result": result,
            "imports": queries.imports_visible_to(request.user)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@partner_only(PartnerKind.MERCHANT)
def merchant_redeem(request: HttpRequest) -> HttpResponse:
    partner = partner_of_kind(request.user, PartnerKind.MERCHANT)
    if request.method == "POST":
        key = idempotency.page_key(request)
        code = coupons.normalise_code(request.POST.get("code", ""))

        def run() -> tuple[int, dict[str, object]]:
            purchase = coupons.redeem_coupon(partner, code)
            return 200, {"code": purchase.code, "coupon": purchase.coupon.title}

        caller = idempotency.caller_of(partner, partner=True)
        _, done = idempotency.once(caller, key, "walking.coupon.redeem", {"code": code}, run)
        messages.success(request, f"쿠폰 {done['code']} ({done['coupon']}) 사용 처리했습니다.")
        return redirect("walking:merchant")
    return render(
        request,
        "walking/merchant.html",
        {"partner": partner, "purchases": queries.purchases_of_merchant(partner)[:30]},
    )
