"""Crews (걷기 모임): invitation codes, names, the blocklist, joining twice, a full crew."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mileage.community import names, rates
from mileage.community.errors import (
    AlreadyMember,
    CrewFull,
    NameTaken,
    NicknameTaken,
    NoSuchCode,
    OffensiveName,
    OffensiveNickname,
)
from mileage.community.models import CrewMembership
from mileage.community.services import crews, profiles
from tests.community.helpers import walker

pytestmark = pytest.mark.django_db


def test_a_new_crew_has_a_short_unambiguous_unique_code_and_its_creator_as_member() -> None:
    a, b = walker("crew-a"), walker("crew-b")
    one = crews.create_crew(a, "망원 산책단", "아침마다 걸어요")
    two = crews.create_crew(b, "합정 걷기")
    assert len(one.code) == 8 and set(one.code) <= set(names.CODE_ALPHABET)
    assert not set(one.code) & set("0O1IL")
    assert one.code != two.code
    assert list(crews.active(one).values_list("member_id", flat=True)) == [a.pk]


def test_a_name_taken_ignores_case_and_spaces() -> None:
    crews.create_crew(walker("crew-a"), "Mapo Walkers")
    with pytest.raises(NameTaken) as refused:
        crews.create_crew(walker("crew-b"), "  mapo   walkers ")
    assert "이미 있는 모임 이름" in refused.value.message
    with pytest.raises(NameTaken):
        crews.create_crew(walker("crew-c"), "MAPOWALKERS")


def test_an_offensive_name_is_refused_from_the_dated_blocklist() -> None:
    word = rates.blocked_words(timezone.localdate())[0]
    with pytest.raises(OffensiveName) as refused:
        crews.create_crew(walker("crew-a"), f"우리 {word} 모임")
    assert refused.value.code == "community.offensive_name"
    with pytest.raises(OffensiveName):  # an impersonation, spelt with spaces
        crews.create_crew(walker("crew-b"), "관 리 자 모임")


def test_join_with_code_in_any_case_or_with_a_hyphen() -> None:
    crew = crews.create_crew(walker("crew-a"), "성산 워커")
    b = walker("crew-b")
    typed = f"{crew.code[:4].lower()}-{crew.code[4:]}"
    assert crews.join_crew(b, typed) == crew
    assert crews.active(crew).count() == 2


def test_a_code_that_does_not_exist_is_refused() -> None:
    with pytest.raises(NoSuchCode) as refused:
        crews.join_crew(walker("crew-b"), "ZZZZZZZZ")
    assert refused.value.status == 404
    assert "초대 코드" in refused.value.message


def test_joining_twice_is_refused_and_adds_no_row() -> None:
    a = walker("crew-a")
    crew = crews.create_crew(a, "연남 걷기")
    with pytest.raises(AlreadyMember):
        crews.join_crew(a, crew.code)
    assert CrewMembership.objects.filter(crew=crew, member=a).count() == 1


def test_a_full_crew_refuses_one_more_member() -> None:
    limit = rates.crew_max_members(timezone.localdate())
    crew = crews.create_crew(walker("crew-0"), "꽉 찬 모임")
    for i in range(1, limit):
        crews.join_crew(walker(f"crew-{i}"), crew.code)
    with pytest.raises(CrewFull) as refused:
        crews.join_crew(walker("crew-late"), crew.code)
    assert f"{limit}명" in refused.value.message
    assert crews.active(crew).count() == limit


def test_leave_then_join_again_keeps_the_history() -> None:
    a, b = walker("crew-a"), walker("crew-b")
    crew = crews.create_crew(a, "다시 모임")
    crews.join_crew(b, crew.code)
    crews.leave_crew(b, crew.pk)
    assert crews.active(crew).count() == 1
    crews.join_crew(b, crew.code)
    assert CrewMembership.objects.filter(crew=crew, member=b).count() == 2


def test_nicknames_are_unique_without_case_and_spaces_and_use_the_blocklist() -> None:
    profiles.set_nickname(walker("nick-a"), "Fast Walker")
    with pytest.raises(NicknameTaken):
        profiles.set_nickname(walker("nick-b"), "fastwalker")
    with pytest.raises(OffensiveNickname):
        profiles.set_nickname(walker("nick-c"), "운영자입니다")
