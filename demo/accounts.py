"""Demo people: the 25 districts, their officials, the city manager and a few hundred citizens.

Idempotent: natural keys (usernames) decide what exists; a second run creates nothing.
"""

from __future__ import annotations

import random
from typing import TextIO

from django.contrib.auth.hashers import make_password

from mileage.accounts.districts import GANGNAM, JUNG, MAPO, SEOUL_DISTRICTS, ensure_districts
from mileage.accounts.models import District, Role, User

DEMO_PASSWORD = "demo-pass-2024"
CITIZEN_COUNT = 300
SEED = 20241001

SURNAMES = "김김김김김이이이이박박박최최정정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
GIVEN = (
    "민준 서연 지호 서윤 도윤 지우 예준 하은 시우 수아 주원 지민 하준 채원 지훈 다은 준서 은서 건우 예린 현우 수빈 우진 지원"
    " 선우 민서 연우 하린 유준 소율 정우 윤서 승현 가은 동현 나연 영호 미경 정희 성민 은정 상철 순자 영수 혜진 경수 미영 재훈"
).split()

# (district code, username suffix, 주민센터) for officials working at a community centre.
CENTRE_OFFICIALS = [
    (MAPO, "seogyo", "서교동 주민센터"),
    (MAPO, "mangwon1", "망원1동 주민센터"),
    (JUNG, "myeong", "명동 주민센터"),
    (GANGNAM, "yeoksam1", "역삼1동 주민센터"),
]


def official_username(code: str, suffix: str = "office") -> str:
    return f"official-{code}-{suffix}"


def _people(password_hash: str) -> list[User]:
    districts = {d.code: d for d in District.objects.all()}
    people = [
        User(
            username="city-manager",
            display_name="서울시 기후환경본부 담당자",
            role=Role.CITY,
            password=password_hash,
        ),
        # issue #14: a second manager, so a parameter change can be approved by another (four eyes)
        User(
            username="city-manager-2",
            display_name="서울시 기후환경본부 검토자",
            role=Role.CITY,
            password=password_hash,
        ),
    ]
    for code, name_ko, _en in SEOUL_DISTRICTS:
        # Every district has a 구청 official; 서대문구 accepts visits at the 구청 only (seed 001).
        people.append(
            User(
                username=official_username(code),
                display_name=f"{name_ko}청 담당자",
                role=Role.OFFICIAL,
                district=districts[code],
                password=password_hash,
            )
        )
    for code, suffix, centre in CENTRE_OFFICIALS:
        people.append(
            User(
                username=official_username(code, suffix),
                display_name=f"{centre} 담당자",
                role=Role.OFFICIAL,
                district=districts[code],
                community_centre=centre,
                password=password_hash,
            )
        )
    rng = random.Random(SEED)
    codes = [code for code, _ko, _en in SEOUL_DISTRICTS]
    for n in range(1, CITIZEN_COUNT + 1):
        code = MAPO if n <= 3 else JUNG if n <= 5 else rng.choice(codes)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        people.append(
            User(
                username=f"citizen-{n:03d}",
                display_name=name,
                role=Role.CITIZEN,
                district=districts[code],
                phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
                password=password_hash,
            )
        )
    return people


def seed(out: TextIO) -> None:
    created_districts = ensure_districts()
    people = _people(make_password(DEMO_PASSWORD))  # hashed once (Argon2), shared by demo accounts
    existing = set(
        User.objects.filter(username__in=[p.username for p in people]).values_list(
            "username", flat=True
        )
    )
    new = [p for p in people if p.username not in existing]
    User.objects.bulk_create(new)
    out.write(f"accounts: {created_districts} districts, {len(new)} people created\n")


def login_lines() -> list[str]:
    return [
        "city-manager                 서울시 담당자",
        "city-manager-2               서울시 검토자 (파라미터 변경 승인, 다른 담당자의 제안만)",
        f"{official_username(MAPO):28} 마포구청 담당자 (official-<구코드>-office, 25개 구 모두)",
        f"{official_username(MAPO, 'seogyo'):28} 마포구 서교동 주민센터 담당자",
        f"{official_username(JUNG):28} 중구청 담당자",
        "citizen-001 … citizen-300    시민 (citizen-001은 마포구 거주)",
    ]
