"""Demo walking community (issue #11, run after `demo.walking`): opted-in nicknames, two crews
(citizen-001 belongs to the first), team challenges, and rankings refreshed once, so that from
`make run` the demo walker can open 걷기 순위, join the second crew with its printed invitation
code and enter their crew in the open team challenge. Idempotent: natural keys only."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import District, User
from mileage.community.models import Crew, TeamChallenge, TeamEntry
from mileage.community.names import key
from mileage.community.services import crews, profiles, team
from mileage.community.services.rankings import refresh_current

ADJECTIVES = ["바람", "새벽", "느긋", "씩씩", "한강", "골목", "산들", "햇살", "달빛", "초록"]
NOUNS = ["걸음", "산책러", "워커", "발자국", "나그네", "마실꾼"]
CREWS = [  # (name, description, district, creator, members)
    (
        "망원 한강 산책단",
        "저녁마다 망원 한강공원을 함께 걸어요",
        "11440",
        2,
        [1, 3, *range(10, 17)],
    ),
    ("남산 둘레길 모임", "주말 아침 남산 둘레길 한 바퀴", "11140", 4, [5, *range(20, 27)]),
]


def seed(out: TextIO) -> None:
    citizens = {
        int(u.username.rsplit("-", 1)[1]): u
        for u in User.objects.filter(role="citizen", username__startswith="citizen-")
    }
    if 1 not in citizens:
        out.write("community: skipped (needs the demo citizens)\n")
        return
    _nicknames(citizens)
    made = [_crew(citizens, *spec) for spec in CREWS]
    _challenges(made[0], citizens[2])
    rows = refresh_current()
    out.write(
        f"community: {len(made)} crews, rankings of {rows[-1].walkers} opted-in walkers; "
        f"citizen-001 is in ‘{made[0].name}’ and can join ‘{made[1].name}’ with "
        f"invitation code {made[1].code} (모임 가입)\n"
    )


def _nicknames(citizens: dict[int, User]) -> None:
    """About two in five demo citizens take part in rankings (citizen-001 does)."""
    for n, person in sorted(citizens.items()):
        if profiles.profile_of(person) is not None:
            continue
        nickname = f"{ADJECTIVES[n % len(ADJECTIVES)]}{NOUNS[n % len(NOUNS)]}{n:03d}"
        profiles.set_nickname(person, nickname, ranked=n == 1 or n % 5 in (1, 3))


def _crew(
    citizens: dict[int, User], name: str, about: str, district: str, creator: int, members: list
) -> Crew:
    crew = Crew.objects.filter(name_key=key(name)).first()
    if crew is None:
        crew = crews.create_crew(
            citizens[creator], name, about, District.objects.filter(code=district).first()
        )
    current = set(crews.active(crew).values_list("member_id", flat=True))
    for n in members:
        if n in citizens and citizens[n].pk not in current:
            crews.join_crew(citizens[n], crew.code)
    return crew


def _challenges(crew: Crew, member: User) -> None:
    """This month's 100만 보 (taken by the first crew) and a two-week one still open to take."""
    today = timezone.localdate()
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    month, _ = TeamChallenge.objects.get_or_create(
        slug="month-million",
        defaults={
            "title": "이달의 모임 100만 보",
            "description": "모임 회원이 함께 한 달 100만 보를 걸으면 걸은 회원마다 500 마일리지",
            "goal_steps": 1_000_000,
            "reward_mileage": 500,
            "starts_on": today.replace(day=1),
            "ends_on": last,
        },
    )
    TeamChallenge.objects.get_or_create(
        slug="two-weeks-together",
        defaults={
            "title": "2주 함께 걷기",
            "description": "2주 동안 모임이 함께 50만 보",
            "goal_steps": 500_000,
            "reward_mileage": 300,
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=13),
        },
    )
    if not TeamEntry.objects.filter(challenge=month, crew=crew).exists():
        team.take_challenge(member, crew, month)
