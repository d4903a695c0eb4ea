"""The city's catalogue of uses (마일리지 사용처, WALK-6), seeded without the admin.

Migration 0006 and the demo seed call `ensure_catalogue()`; the test suite calls it again after
a transactional test flushed the tables. Each entry is kept by its slug (the city may edit the
wording or deactivate an entry; the seed never overwrites it).
"""

from __future__ import annotations

from typing import Any

DONATION_FUNDS = ("서울시 사회복지공동모금회", "서울시 기후동행 나무심기 기금")

CATALOGUE: list[dict[str, Any]] = [
    {
        "slug": "seoul-love-gift-certificate",
        "kind": "gift-certificate",
        "name": "서울사랑상품권",
        "summary": "서울페이플러스 앱에서 쓰는 서울사랑상품권으로 바꿉니다.",
        "order": 10,
    },
    {
        "slug": "local-tax",
        "kind": "local-tax",
        "name": "지방세 납부",
        "summary": "위택스 전자납부번호로 자동차세·재산세 같은 지방세를 냅니다.",
        "order": 20,
    },
    {
        "slug": "transit-card",
        "kind": "transit-card",
        "name": "교통카드 충전",
        "summary": "가지고 있는 교통카드에 충전합니다.",
        "order": 30,
    },
    {
        "slug": "donation-community-chest",
        "kind": "donation",
        "name": "기부: 서울시 사회복지공동모금회",
        "summary": "어려운 이웃을 돕는 성금으로 기부합니다.",
        "fund": DONATION_FUNDS[0],
        "order": 40,
    },
    {
        "slug": "donation-tree-fund",
        "kind": "donation",
        "name": "기부: 서울시 기후동행 나무심기 기금",
        "summary": "서울에 나무를 심는 기금으로 기부합니다.",
        "fund": DONATION_FUNDS[1],
        "order": 41,
    },
    {
        "slug": "merchant-coupons",
        "kind": "coupon",
        "name": "가맹점 쿠폰",
        "summary": "동네 가맹점에서 쓰는 할인 쿠폰을 마일리지로 삽니다.",
        "link": "/walking/coupons/",
        "order": 50,
    },
]


def ensure_catalogue(model: Any = None) -> int:
    """Create the catalogue entries that are missing (by slug); returns how many were made."""
    if model is None:
        from .models import UseOption as model
    made = 0
    for entry in CATALOGUE:
        defaults = {k: v for k, v in entry.items() if k != "slug"}
        _, created = model.objects.get_or_create(slug=entry["slug"], defaults=defaults)
        made += created
    return made
