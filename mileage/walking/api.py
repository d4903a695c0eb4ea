"""Walking JSON API (/api/v1/walking/): partner step feeds and coupon redemption (API keys),
member actions (session). Errors are `{"code", "message"}` JSON via DomainError."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from mileage.accounts import scope
from mileage.core.errors import Forbidden
from mileage.core.input import Day, Id, IdempotencyKey, PastMoment, PathId, Steps, Text
from mileage.ledger import idempotency
from mileage.partners.auth import ApiKeyAuth

from .errors import BadPayload, CampaignUnknown
from .models import Coupon, DonationCampaign, WalkCampaign
from .queries import day_totals
from .services import campaigns, coupons, donations, stamps
from .services.csv_import import import_csv
from .services.feed import ingest

log = logging.getLogger(__name__)
router = Router(tags=["walking"])


def _request_id(request: HttpRequest) -> str:
    return request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex


# The body is parsed by hand (a bad row is reported, not the whole request refused); this is its
# schema for the API docs, with the optional fair-play fields of issue #11.
STEP_ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["member", "date", "steps"],
    "properties": {
        "member": {"type": "string", "description": "회원 연결 토큰 (wl_…)"},
        "date": {"type": "string", "format": "date"},
        "steps": {"type": "integer", "minimum": 0, "maximum": 100000},
        "manual_steps": {
            "type": "integer",
            "minimum": 0,
            "description": "손으로 입력한 걸음 수 (steps 이하). HealthKit was-user-entered, "
            "Google Fit user_input",
        },
        "hourly": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0},
            "minItems": 24,
            "maxItems": 24,
            "description": "0시부터 23시까지 시간별 걸음 수; 합이 steps와 같아야 합니다",
        },
        "device": {
            "type": "string",
            "maxLength": 200,
            "description": "기기 식별자; 키를 건 해시로만 저장합니다",
        },
    },
}
STEPS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["rows"],
                    "properties": {
                        "rows": {"type": "array", "maxItems": 10000, "items": STEP_ROW_SCHEMA}
                    },
                }
            }
        },
    }
}


@router.post(
    "/steps",
    auth=ApiKeyAuth("walking:steps"),
    summary="걸음 수 전송 (WALK-1)",
    openapi_extra=STEPS_BODY,
)
def push_steps(request: HttpRequest) -> dict[str, Any]:
    """Body `{"rows": [{"member": "<link token>", "date": "YYYY-MM-DD", "steps": 1234}, ...]}`
    (or the bare list), at most 10,000 rows. Re-sending a member-day replaces it. Bad rows come
    back in `errors` with their index; the good ones are stored.

    Optional per row, for fair play (부정 걸음 방지): `manual_steps` (steps entered by hand,
    0..steps; `walking.bad_manual_steps`), `hourly` (24 per-hour counts summing to `steps`;
    `walking.bad_hourly`, `walking.hourly_mismatch`) and `device` (your device id, at most 200
    characters, stored only as a keyed hash; `walking.bad_device`)."""
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
    """A CSV file with header `member,date,steps` (optional columns `manual_steps`, `hourly` as
    24 counts separated by `;`, `device`); errors name the line number."""
    result = import_csv(
        request.auth, file, filename=file.name or "", request_id=_request_id(request)
    )
    return result.as_dict()


KEY_HELP = (
    "멱등성 키(idempotency key): 요청마다 새로 만든 값(예: UUID). `Idempotency-Key` 헤더로 "
    "보내도 됩니다. 같은 키로 다시 보내면 처음 응답을 돌려주고 다시 처리하지 않습니다."
)


class RedeemIn(Schema):
    code: Text(30, min_length=1)
    key: IdempotencyKey | None = Field(None, description=KEY_HELP)


@router.post(
    "/coupons/redeem",
    auth=ApiKeyAuth("coupons:redeem"),
    summary="쿠폰 사용 (WALK-6, Idempotency-Key 필수)",
)
def redeem(request: HttpRequest, payload: RedeemIn) -> dict[str, Any]:
    key = idempotency.key_of(request, payload.key)

    def run() -> tuple[int, dict[str, Any]]:
        purchase = coupons.redeem_coupon(request.auth, payload.code)
        return 200, {
            "code": purchase.code,
            "coupon": purchase.coupon.title,
            "redeemed_at": purchase.redeemed_at.isoformat(),
        }

    caller = idempotency.caller_of(request.auth, partner=True)
    fields = {"code": coupons.normalise_code(payload.code)}
    return idempotency.once(caller, key, "walking.coupon.redeem", fields, run)[1]


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
def my_days(request: HttpRequest, start: Day, end: Day) -> list[dict[str, Any]]:
    member = _citizen(request)
    if (end - start).days > 366:
        raise BadPayload("조회 기간은 1년 이내로 해 주세요.")
    return [
        {"date": d.isoformat(), "steps": s}
        for d, s in sorted(day_totals(member.pk, start, end).items())
    ]


class DonateIn(Schema):
    steps: Steps | None = None
    key: IdempotencyKey | None = Field(None, description=KEY_HELP)


@router.post(
    "/me/campaigns/{slug}/donate",
    auth=django_auth,
    summary="걸음 기부 (WALK-4, Idempotency-Key 필수)",
)
def donate(request: HttpRequest, slug: Text(60), payload: DonateIn) -> dict[str, Any]:
    member = _citizen(request)
    key = idempotency.key_of(request, payload.key)
    campaign = get_object_or_404(DonationCampaign, slug=slug)

    def run() -> tuple[int, dict[str, Any]]:
        gift = donations.donate_steps(member, campaign.pk, steps=payload.steps)
        return 200, {"id": gift.pk, "steps": gift.steps, "won": gift.won}

    fields = {"campaign": campaign.pk, "steps": payload.steps}
    caller = idempotency.caller_of(member)
    return idempotency.once(caller, key, "walking.steps.donate", fields, run)[1]


class BuyIn(Schema):
    key: IdempotencyKey | None = Field(None, description=KEY_HELP)


@router.post(
    "/me/coupons/{coupon_id}/buy",
    auth=django_auth,
    summary="쿠폰 구매 (WALK-6, Idempotency-Key 필수)",
)
def buy(request: HttpRequest, coupon_id: PathId, payload: BuyIn | None = None) -> dict[str, Any]:
    return _coupon_once(request, coupon_id, payload, "walking.coupon.buy", coupons.buy_coupon)


def _coupon_once(
    request: HttpRequest,
    coupon_id: int,
    payload: BuyIn | None,
    scope: str,
    take: Callable[[Any, int], Any],
) -> dict[str, Any]:
    """A citizen takes a coupon (`take`: buy or claim) once per Idempotency-Key: a repeated
    request gets the first answer, and the coupon's code."""
    member = _citizen(request)
    key = idempotency.key_of(request, payload.key if payload else None)
    get_object_or_404(Coupon, pk=coupon_id)

    def run() -> tuple[int, dict[str, Any]]:
        purchase = take(member, coupon_id)
        return 200, {"id": purchase.pk, "code": purchase.code}

    caller = idempotency.caller_of(member)
    return idempotency.once(caller, key, scope, {"coupon": coupon_id}, run)[1]


class CheckInIn(Schema):
    member: Text(40, min_length=1) = Field(..., description="회원 연결 토큰")
    point: Id = Field(..., description="스탬프 지점 번호")
    at: PastMoment = Field(..., description="체크인 시각 (ISO 8601, 시간대 포함)")
    lat: Annotated[float, Field(ge=-90, le=90, strict=True)] = Field(..., description="위도")
    lon: Annotated[float, Field(ge=-180, le=180, strict=True)] = Field(..., description="경도")


@router.post("/checkins", auth=ApiKeyAuth("walking:steps"), summary="코스 스탬프 체크인 (WALK-7)")
def stamp_check_in(request: HttpRequest, payload: CheckInIn) -> dict[str, Any]:
    """A member's check-in at a course's stamp point (position and time). It stamps the point
    when within `walk.stamp_radius_m`; otherwise 400 `walking.stamp_too_far`. A check-in that
    completes a joined stamp challenge settles it at once (`completed`, with the reward)."""
    return stamps.check_in(
        request.auth, payload.member, payload.point, payload.at, payload.lat, payload.lon
    ).as_dict()


@router.post(
    "/me/walk-campaigns/{slug}/join",
    auth=django_auth,
    summary="걷기 캠페인 참여하기 (한 번; 다시 보내도 같은 참여)",
)
def join_walk_campaign(request: HttpRequest, slug: Text(60)) -> dict[str, Any]:
    member = _citizen(request)
    campaign = WalkCampaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise CampaignUnknown()
    entry, created = campaigns.join_campaign(member, campaign, via="api")
    return {"campaign": campaign.slug, "joined_at": entry.joined_at.isoformat(), "new": created}


@router.post(
    "/me/coupons/{coupon_id}/claim",
    auth=django_auth,
    summary="후원 무료 쿠폰 받기 (한 사람당 한 장, Idempotency-Key 필수)",
)
def claim(request: HttpRequest, coupon_id: PathId, payload: BuyIn | None = None) -> dict[str, Any]:
    return _coupon_once(
        request, coupon_id, payload, "walking.coupon.claim", coupons.claim_free_coupon
    )
