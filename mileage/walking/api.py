"""Walking JSON API (/api/v1/walking/): partner step feeds and coupon redemption (API keys),
member actions (session). Errors are `{"code", "message"}` JSON via DomainError."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from mileage.accounts import scope
from mileage.core.errors import Forbidden
from mileage.partners.auth import ApiKeyAuth

from .errors import BadPayload
from .models import Coupon, DonationCampaign
from .queries import day_totals
from .services import coupons, donations
from .services.csv_import import import_csv
from .services.feed import ingest

log = logging.getLogger(__name__)
router = Router(tags=["walking"])


def _request_id(request: HttpRequest) -> str:
    return request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex


@router.post("/steps", auth=ApiKeyAuth("walking:steps"), summary="걸음 수 전송 (WALK-1)")
def push_steps(request: HttpRequest) -> dict[str, Any]:
    """Body `{"rows": [{"member": "<link token>", "date": "YYYY-MM-DD", "steps": 1234}, ...]}`
    (or the bare list), at most 10,000 rows. Re-sending a member-day replaces it. Bad rows come
    back in `errors` with their index; the good ones are stored."""
    partner, rid = request.auth, _request_id(request)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("steps refused whole partner=%s request=%s: not JSON", partner.slug, rid)
        raise BadPayload("요청 본문이 올바른 JSON이 아닙니다.") from exc
    rows = body.get("rows") if isinstance(body, dict) else body
    if not isinstance(rows, list):
        log.warning("steps refused whole partner=%s request=%s: no rows", partner.slug, rid)
        raise BadPayload('본문은 {"rows": [...]} 형식이어야 합니다.')
    return ingest(partner, rows, request_id=rid).as_dict()


@router.post("/steps/csv", auth=ApiKeyAuth("walking:steps"), summary="걸음 수 CSV 파일 (WALK-1)")
def push_steps_csv(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """A CSV file with header `member,date,steps`; errors name the line number."""
    result = import_csv(
        request.auth, file, filename=file.name or "", request_id=_request_id(request)
    )
    return result.as_dict()


class RedeemIn(Schema):
    code: str


@router.post("/coupons/redeem", auth=ApiKeyAuth("coupons:redeem"), summary="쿠폰 사용 (WALK-6)")
def redeem(request: HttpRequest, payload: RedeemIn) -> dict[str, Any]:
    purchase = coupons.redeem_coupon(request.auth, payload.code)
    return {
        "code": purchase.code,
        "coupon": purchase.coupon.title,
        "redeemed_at": purchase.redeemed_at.isoformat(),
    }


@router.get("/campaigns", auth=ApiKeyAuth("donations:read"), summary="후원 캠페인 현황 (WALK-4)")
def sponsor_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "budget_won": c.budget_won,
            "spent_won": c.spent_won,
            "donated_steps": c.donated_steps,
            "donors": c.donors,
        }
        for c in DonationCampaign.objects.filter(sponsor=request.auth)
    ]


def _citizen(request: HttpRequest) -> Any:
    if not scope.is_citizen(request.user):
        raise Forbidden()
    return request.user


@router.get("/me/days", auth=django_auth, summary="내 걸음 (WALK-1)")
def my_days(request: HttpRequest, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    member = _citizen(request)
    if (end - start).days > 366:
        raise BadPayload("조회 기간은 1년 이내로 해 주세요.")
    return [
        {"date": d.isoformat(), "steps": s}
        for d, s in sorted(day_totals(member.pk, start, end).items())
    ]


class DonateIn(Schema):
    steps: int | None = None


@router.post("/me/campaigns/{slug}/donate", auth=django_auth, summary="걸음 기부 (WALK-4)")
def donate(request: HttpRequest, slug: str, payload: DonateIn) -> dict[str, Any]:
    member = _citizen(request)
    campaign = get_object_or_404(DonationCampaign, slug=slug)
    gift = donations.donate_steps(member, campaign.pk, steps=payload.steps)
    return {"id": gift.pk, "steps": gift.steps, "won": gift.won}


@router.post("/me/coupons/{coupon_id}/buy", auth=django_auth, summary="쿠폰 구매 (WALK-6)")
def buy(request: HttpRequest, coupon_id: int) -> dict[str, Any]:
    member = _citizen(request)
    get_object_or_404(Coupon, pk=coupon_id)
    purchase = coupons.buy_coupon(member, coupon_id)
    return {"id": purchase.pk, "code": purchase.code}
