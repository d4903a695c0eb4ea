"""Programme management pages for the city (issue #14, 프로그램 관리), not Django admin: walking
campaigns, challenges, coupons, courses, events, bonus days, sponsors (with their budgets) and the
catalogue of uses of mileage.

One registry (`MANAGED`) says, per kind of item, its model, the fields the city edits with their
Korean labels, and the columns of its list; three views serve every kind: the list
`/city/programmes/<kind>/`, a new item `.../new/` and an item `.../<id>/`. Forms are Django model
forms, so the models' own validation and constraints (dates in order, a budget never below what
was already spent, a stock never below what was sold) refuse bad input next to its field, in
Korean. Every saved change is an audit row with its before → after values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.urls import reverse

from mileage.community.models import TeamChallenge
from mileage.core import audit
from mileage.core.text import korean_date
from mileage.ledger.models import UseOption
from mileage.partners.models import Partner, PartnerKind
from mileage.walking.models import (
    BonusDay,
    Challenge,
    Coupon,
    Course,
    DonationCampaign,
    Event,
    SponsorBudget,
    StampPoint,
    WalkCampaign,
)


@dataclass(frozen=True)
class Managed:
    kind: str  # the URL segment
    title: str  # Korean, as the city reads it
    model: type[models.Model]
    fields: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (attribute or callable name, Korean header)
    labels: dict[str, str] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    limit: dict[str, Any] = field(default_factory=dict)  # ForeignKey choices: field → filter
    fixed: dict[str, Any] = field(default_factory=dict)  # set on every new item
    scope: dict[str, Any] = field(default_factory=dict)  # which rows of the model are listed
    extra: Callable[[Any], dict[str, Any]] | None = None  # per-row computed columns
    # links shown on an item's page: (url, Korean link text)
    links: Callable[[Any], list[tuple[str, str]]] | None = None

    def queryset(self) -> models.QuerySet:
        return self.model.objects.filter(**self.scope)


def _sponsor_budget(partner: Partner) -> dict[str, Any]:
    """A sponsor's money: its campaigns' budgets and what they have spent, its challenges'
    pledges."""
    campaigns = DonationCampaign.objects.filter(sponsor=partner).aggregate(
        budget=Sum("budget_won"), spent=Sum("spent_won")
    )
    return {
        "budget": campaigns["budget"] or 0,
        "spent": campaigns["spent"] or 0,
        "left": (campaigns["budget"] or 0) - (campaigns["spent"] or 0),
        "challenges": Challenge.objects.filter(sponsor=partner).count(),
    }


def _campaign_links(item: Any) -> list[tuple[str, str]]:
    return [
        (reverse("walking:campaign", args=[item.slug]), "캠페인 화면 (참여자·걸음 현황)"),
        (reverse("walking:campaign_print", args=[item.slug]), "QR 코드 인쇄"),
    ]


SLUG_LABEL = "주소 이름 (영문 소문자·숫자·하이픈)"
SPONSOR_LIKE = {"kind__in": [PartnerKind.SPONSOR, PartnerKind.WALKING_APP]}

MANAGED: dict[str, Managed] = {
    m.kind: m
    for m in (
        Managed(
            "campaigns",
            "걸음 기부 캠페인",
            DonationCampaign,
            (
                "title", "slug", "description", "sponsor", "beneficiary", "rate_won_per_km",
                "budget_won", "starts_on", "ends_on",
            ),
            (("title", "캠페인"), ("sponsor", "후원"), ("budget_won", "예산(원)"),
             ("spent_won", "사용(원)"), ("starts_on", "시작일"), ("ends_on", "종료일")),
            labels={"slug": SLUG_LABEL, "sponsor": "후원 기관"},
            help={"budget_won": "이미 기부된 금액보다 작게 줄일 수 없습니다."},
            limit={"sponsor": SPONSOR_LIKE},
        ),
        Managed(
            "challenges",
            "걷기 챌린지",
            Challenge,
            (
                "title", "slug", "description", "goal", "target_steps", "daily_steps",
                "days_required", "course", "starts_on", "ends_on", "reward_mileage",
                "reward_mode", "reward_places", "reward_from", "sponsor", "beneficiary",
                "pledge_won",
            ),
            (("title", "챌린지"), ("goal", "목표 종류"), ("reward_mileage", "보상(마일리지)"),
             ("reward_mode", "보상 방식"), ("places_left", "남은 선착순 자리"),
             ("sponsor", "후원"), ("pledge_won", "기부액(원)"), ("starts_on", "시작일"),
             ("ends_on", "종료일")),
            labels={"slug": SLUG_LABEL, "sponsor": "후원 기관", "course": "코스 (스탬프 챌린지)"},
            help={
                "target_steps": "기간 합계 목표일 때 (근거: WALK-5).",
                "daily_steps": "매일 목표일 때: 하루에 걸어야 할 걸음 수.",
                "days_required": "매일 목표일 때: 하루 목표를 채워야 하는 날 수 (기간 안).",
                "course": "코스 스탬프 챌린지일 때: 스탬프 지점이 등록된 코스.",
                "reward_mileage": "달성한 참가자에게 적립할 마일리지 (0이면 보상 없음, 추첨 없음).",
                "reward_places": "선착순일 때: 보상받을 수 있는 인원.",
                "pledge_won": "달성 때마다 후원 기관이 수혜 기관에 기부하는 금액 (0이면 없음).",
            },
            limit={"sponsor": SPONSOR_LIKE},
        ),
        Managed(
            "team-challenges",
            "팀 챌린지 (걷기 모임)",
            TeamChallenge,
            (
                "title", "slug", "description", "sponsor", "goal_steps", "reward_mileage",
                "starts_on", "ends_on",
            ),
            (("title", "팀 챌린지"), ("sponsor", "후원"), ("goal_steps", "모임 목표 걸음"),
             ("reward_mileage", "1인당 보상"), ("starts_on", "시작일"), ("ends_on", "종료일")),
            labels={"slug": SLUG_LABEL, "sponsor": "후원 기관 (비우면 걷기 예산)"},
            limit={"sponsor": SPONSOR_LIKE},
        ),
        Managed(
            "coupons",
            "가맹점 쿠폰",
            Coupon,
            ("title", "description", "merchant", "price_mileage", "stock", "expires_on", "active",
             "sponsor", "face_value_won", "campaign"),
            (("title", "쿠폰"), ("merchant", "가맹점"), ("price_mileage", "가격(마일리지)"),
             ("sponsor", "후원"), ("stock", "수량"), ("sold", "판매·받음"),
             ("expires_on", "유효기간"), ("active", "판매 중")),
            labels={"merchant": "가맹점", "active": "판매 중", "sponsor": "후원 기관 (무료 쿠폰)",
                    "campaign": "걷기 캠페인 (참여자 전용일 때)"},
            help={"stock": "이미 판매된 수량보다 작게 줄일 수 없습니다.",
                  "price_mileage": "0이면 후원 무료 쿠폰(받기, 한 사람당 한 장)입니다.",
                  "face_value_won": "무료 쿠폰을 받을 때마다 후원 기관 예산에서 가맹점에 지급합니다."},
            limit={"merchant": {"kind": PartnerKind.MERCHANT},
                   "sponsor": {"kind": PartnerKind.SPONSOR}},
        ),
        Managed(
            "walk-campaigns",
            "걷기 캠페인",
            WalkCampaign,
            ("title", "slug", "description", "sponsor", "starts_on", "ends_on", "day_of_month",
             "reward_min_steps", "reward_mileage", "active"),
            (("title", "캠페인"), ("sponsor", "후원"), ("day_of_month", "매월 일자"),
             ("starts_on", "시작일"), ("ends_on", "종료일"), ("participants", "참여자"),
             ("reward_mileage", "보상(마일리지)"), ("active", "진행 중")),
            labels={"slug": SLUG_LABEL, "sponsor": "후원 기관 (비우면 걷기 마일리지 예산)",
                    "active": "진행 중"},
            help={"day_of_month": "예: 11 (걷기의 날). 비워 두면 시작일~종료일 매일이 캠페인 날입니다.",
                  "reward_mileage": "캠페인 날 기준 걸음 수 이상 걸은 참여자에게 하루 한 번 "
                                    "지급합니다. 0이면 보상 없음 (근거: WALK-5 [interp])."},
            limit={"sponsor": {"kind": PartnerKind.SPONSOR}},
            extra=lambda c: {"participants": c.entries.count()},
            links=_campaign_links,
        ),
        Managed(
            "sponsor-budgets",
            "후원 예산 (캠페인·무료 쿠폰)",
            SponsorBudget,
            ("sponsor", "budget_won"),
            (("sponsor", "후원 기관"), ("budget_won", "예산(원)"), ("spent_won", "사용(원)"),
             ("left_won", "남은 예산(원)")),
            labels={"sponsor": "후원 기관", "budget_won": "후원 예산(원)"},
            help={"budget_won": "이미 사용한 금액보다 작게 줄일 수 없습니다."},
            limit={"sponsor": {"kind": PartnerKind.SPONSOR}},
        ),
        Managed(
            "courses",
            "걷기 코스",
            Course,
            (
                "name_ko", "slug", "district", "description", "length_km", "minutes", "route",
                "stamps_in_order",
            ),
            (("name_ko", "코스"), ("district", "자치구"), ("length_km", "거리(km)"),
             ("minutes", "소요 시간(분)")),
            labels={"slug": SLUG_LABEL, "route": "경로 (GeoJSON LineString, [경도, 위도])"},
        ),
        Managed(
            "stamps",
            "코스 스탬프 지점",
            StampPoint,
            ("course", "order", "name", "lat", "lon"),
            (("course", "코스"), ("order", "순서"), ("name", "스탬프 지점"), ("lat", "위도"),
             ("lon", "경도")),
            labels={"course": "코스"},
            help={"order": "코스를 걷는 순서 (1부터).",
                  "lat": "예: 37.566500 (체크인이 이 지점 반경 안이면 스탬프가 찍힙니다, 근거: WALK-7)."},
        ),
        Managed(
            "events",
            "걷기 행사",
            Event,
            ("title", "slug", "description", "on", "place", "capacity"),
            (("title", "행사"), ("on", "날짜"), ("place", "장소"), ("capacity", "정원")),
            labels={"slug": SLUG_LABEL},
        ),
        Managed(
            "bonus-days",
            "보너스 데이",
            BonusDay,
            ("name", "multiplier", "day_of_month", "starts_on", "ends_on"),
            (("name", "이름"), ("multiplier", "배수"), ("day_of_month", "매월 일자"),
             ("starts_on", "시작일"), ("ends_on", "종료일")),
            help={"day_of_month": "비워 두면 시작일~종료일 동안 매일 적용됩니다 (근거: WALK-3)."},
        ),
        Managed(
            "sponsors",
            "후원 기관",
            Partner,
            ("name", "slug", "is_active"),
            (("name", "기관명"), ("is_active", "활동 중"), ("budget", "캠페인 예산(원)"),
             ("spent", "기부된 금액(원)"), ("left", "남은 예산(원)"), ("challenges", "챌린지")),
            labels={"slug": SLUG_LABEL, "is_active": "활동 중"},
            fixed={"kind": PartnerKind.SPONSOR},
            scope={"kind": PartnerKind.SPONSOR},
            extra=_sponsor_budget,
        ),
        Managed(
            "uses",
            "마일리지 사용처",
            UseOption,
            ("name", "summary", "fund", "active", "order"),
            (("name", "사용처"), ("kind", "종류"), ("fund", "기금"), ("active", "사용 가능"),
             ("order", "순서")),
            labels={"name": "이름", "summary": "설명", "fund": "기금 (기부일 때)",
                    "active": "사용 가능", "order": "표시 순서"},
            help={"summary": "최소 금액·단위·취소 규칙은 파라미터 화면에서 날짜별로 바꿉니다."},
        ),
    )
}  # fmt: skip


# The models' check constraints as the city reads them: (the field they concern, the message).
# A model form checks only constraints on its own fields; these also involve running totals
# (spent, sold) that the city does not edit, so they are checked here on every save.
CONSTRAINT_MESSAGES: dict[str, tuple[str, str]] = {
    "walking_campaign_within_budget": (
        "budget_won",
        "예산은 이미 기부된 금액보다 작을 수 없습니다.",
    ),
    "walking_campaign_dates_in_order": ("ends_on", "종료일은 시작일보다 빠를 수 없습니다."),
    "walking_coupon_not_oversold": ("stock", "수량은 이미 판매된 수량보다 작을 수 없습니다."),
    "walking_coupon_has_price": (
        "price_mileage",
        "가격은 1 마일리지 이상이어야 합니다 (0은 후원 기관과 액면가가 있는 무료 쿠폰만).",
    ),
    "walking_sponsor_within_budget": (
        "budget_won",
        "예산은 이미 사용한 금액보다 작을 수 없습니다.",
    ),
    "walking_walkcampaign_dates_in_order": ("ends_on", "종료일은 시작일보다 빠를 수 없습니다."),
    "walking_bonus_not_a_penalty": ("multiplier", "배수는 1 이상이어야 합니다."),
    "walking_challenge_places_kept": (
        "reward_places",
        "선착순 인원은 이미 보상한 인원보다 작을 수 없습니다.",
    ),
    "community_team_positive": ("goal_steps", "목표 걸음과 보상은 0보다 커야 합니다."),
}


def form_class(managed: Managed) -> type[forms.ModelForm]:
    """A model form for the kind: its fields, Korean labels, dates as date inputs, foreign keys
    limited to the partners of the right kind."""

    class Form(forms.ModelForm):
        class Meta:
            model = managed.model
            fields = managed.fields
            labels = managed.labels
            help_texts = managed.help
            widgets = {
                f.name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for f in managed.model._meta.get_fields()
                if isinstance(f, models.DateField) and f.name in managed.fields
            }

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name, where in managed.limit.items():
                self.fields[name].queryset = self.fields[name].queryset.filter(**where)
            for name, value in managed.fixed.items():
                setattr(self.instance, name, value)

        def clean(self) -> dict[str, Any]:
            data = super().clean()
            starts, ends = data.get("starts_on"), data.get("ends_on")
            if starts and ends and ends < starts:
                self.add_error("ends_on", "종료일은 시작일보다 빠를 수 없습니다.")
            return data

        def _post_clean(self) -> None:
            super()._post_clean()
            for constraint in managed.model._meta.constraints:
                if constraint.name not in CONSTRAINT_MESSAGES:
                    continue
                try:
                    constraint.validate(managed.model, self.instance)
                except ValidationError:
                    name, message = CONSTRAINT_MESSAGES[constraint.name]
                    if name not in self.errors:
                        self.add_error(name if name in self.fields else None, message)

    Form.__name__ = f"{managed.model.__name__}ManageForm"
    return Form


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def save(managed: Managed, form: forms.ModelForm, actor: Any) -> models.Model:
    """Save a valid form and write its audit row (the fields that changed, before → after)."""
    instance = form.instance
    creating = instance.pk is None
    before = {}
    if not creating:
        old = type(instance).objects.get(pk=instance.pk)
        before = {name: _plain(getattr(old, name)) for name in form.changed_data}
    with transaction.atomic():
        saved = form.save()
        audit.record(
            actor,
            "programme.create" if creating else "programme.update",
            saved,
            data={
                "kind": managed.kind,
                "title": managed.title,
                "item": str(saved),
                "changes": {
                    name: [before.get(name), _plain(getattr(saved, name))]
                    for name in form.changed_data
                },
            },
        )
    return saved


def shown(value: Any) -> str:
    """A list cell as the city reads it: 예/아니요, Korean dates, thousands separators."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, dt.date):
        return korean_date(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def rows(managed: Managed) -> list[tuple[models.Model, list[str]]]:
    """Each listed item with its column values as shown (display values for choices)."""
    out = []
    for item in managed.queryset():
        extra = managed.extra(item) if managed.extra else {}
        values = []
        for name, _ in managed.columns:
            if name in extra:
                values.append(extra[name])
                continue
            display = getattr(item, f"get_{name}_display", None)
            values.append(display() if display else getattr(item, name))
        values = [shown(v) for v in values]
        out.append((item, values))
    return out
