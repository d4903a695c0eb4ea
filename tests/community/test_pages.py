"""Community pages: Korean errors next to the field with the input kept, members-only crew pages,
the ranking opt-in, the member's own rank outside the top list, the public district page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mileage.accounts.districts import MAPO
from mileage.community import queries, rates
from mileage.community.models import Crew, CrewMembership, TeamChallenge, WalkerProfile
from mileage.community.services import crews, profiles
from mileage.community.services.rankings import refresh_current
from tests import factories
from tests.community.helpers import walk, walker
from tests.platform.test_citizen_text import CODE, ENGLISH, ISO_DATE, VisibleText

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def shown(response) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.shown).split())


def assert_korean(response) -> None:
    text = shown(response)
    for pattern in (ISO_DATE, ENGLISH, CODE):
        assert not pattern.search(text), (pattern.pattern, pattern.search(text))


def test_create_a_crew_from_the_page_and_see_its_code_and_members() -> None:
    me = factories.mapo_citizen()
    c = client_of(me)
    page = c.get("/walking/crews/")
    assert "모임 만들기" in shown(page) and "모임 가입" in shown(page)
    assert_korean(page)
    r = c.post(
        "/walking/crews/new/",
        {"name": "망원 새벽", "description": "", "district": MAPO, "nickname": "새벽걷기"},
    )
    crew = Crew.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/walking/crews/{crew.pk}/"
    page = c.get(r["Location"])
    assert crew.code in shown(page) and "새벽걷기" in shown(page)
    assert crew.district.code == MAPO
    assert_korean(page)


def test_a_taken_name_is_refused_next_to_the_field_with_the_input_kept() -> None:
    crews.create_crew(walker("other"), "Mapo Walkers")
    me = factories.mapo_citizen()
    profiles.set_nickname(me, "마포사람")
    r = client_of(me).post("/walking/crews/new/", {"name": "mapo  WALKERS", "description": "안녕"})
    assert r.status_code == 409
    body = r.content.decode()
    assert 'id="name-error"' in body and "이미 있는 모임 이름" in body
    assert 'value="mapo  WALKERS"' in body and 'value="안녕"' in body
    assert Crew.objects.count() == 1


def test_an_offensive_name_and_a_missing_nickname_are_refused_on_the_page() -> None:
    me = factories.mapo_citizen()
    word = rates.blocked_words(timezone.localdate())[0]
    r = client_of(me).post("/walking/crews/new/", {"name": f"{word}들", "nickname": "괜찮은닉"})
    assert r.status_code == 400 and "쓸 수 없는 말" in r.content.decode()
    r = client_of(me).post("/walking/crews/new/", {"name": "좋은 이름", "nickname": ""})
    assert r.status_code == 400 and 'id="nickname-error"' in r.content.decode()
    assert not Crew.objects.exists() and not WalkerProfile.objects.exists()


def test_join_errors_keep_the_code_typed() -> None:
    owner = walker("owner")
    crew = crews.create_crew(owner, "연희 걷기")
    me = factories.mapo_citizen()
    c = client_of(me)
    assert c.get(f"/walking/crews/join/?code={crew.code}").status_code == 200
    assert CrewMembership.objects.filter(member=me).count() == 0  # GET changes nothing
    r = c.post("/walking/crews/join/", {"code": "abcd-2345", "nickname": "연희동"})
    assert r.status_code == 404 and 'value="abcd-2345"' in r.content.decode()
    assert "그런 초대 코드의 모임이 없습니다" in r.content.decode()
    r = c.post("/walking/crews/join/", {"code": crew.code.lower(), "nickname": "연희동"})
    assert r.status_code == 302
    r = c.post("/walking/crews/join/", {"code": crew.code})
    assert r.status_code == 409 and "이미 가입한 모임" in r.content.decode()
    r = c.post("/walking/crews/join/", {"code": ""})
    assert r.status_code == 400 and "초대 코드를 입력하세요" in r.content.decode()


def test_a_crew_page_is_for_its_members_only_and_leaving_works() -> None:
    crew = crews.create_crew(walker("owner"), "비밀 모임")
    me = factories.mapo_citizen()
    c = client_of(me)
    assert c.get(f"/walking/crews/{crew.pk}/").status_code == 404
    assert c.post(f"/walking/crews/{crew.pk}/leave/").status_code == 404
    profiles.set_nickname(me, "나야나")
    crews.join_crew(me, crew.code)
    assert c.get(f"/walking/crews/{crew.pk}/").status_code == 200
    assert c.post(f"/walking/crews/{crew.pk}/leave/").status_code == 302
    assert c.get(f"/walking/crews/{crew.pk}/").status_code == 404


def test_crew_page_shows_steps_and_a_team_challenge_progress_bar() -> None:
    me, today = factories.mapo_citizen(), timezone.localdate()
    profiles.set_nickname(me, "진행중")
    crew = crews.create_crew(me, "진행 모임")
    walk(me, today, 7_000)
    ch = TeamChallenge.objects.create(
        slug="dec-team", title="12월 함께 걷기", goal_steps=100_000, reward_mileage=300,
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=10),
    )  # fmt: skip
    c = client_of(me)
    r = c.post(f"/walking/crews/{crew.pk}/challenges/{ch.slug}/take/")
    assert r.status_code == 302
    page = c.get(f"/walking/crews/{crew.pk}/")
    body = page.content.decode()
    assert '<progress max="100000" value="7000"' in body
    assert "7,000보" in shown(page)
    assert_korean(page)


def test_opt_in_then_the_ranking_shows_the_own_rank_outside_the_top() -> None:
    me, today = factories.mapo_citizen(), timezone.localdate()
    for i in range(queries.TOP + 2):
        other = walker(f"fast-{i}", MAPO)
        profiles.set_nickname(other, f"빠른{i}", ranked=True)
        walk(other, today, 20_000 + i)
    walk(me, today, 1_000)
    c = client_of(me)
    r = c.post("/walking/rankings/profile/", {"nickname": "느린걸음", "ranked": "1"})
    assert r.status_code == 302
    refresh_current(today)
    page = c.get("/walking/rankings/")
    text = shown(page)
    assert "느린걸음 님: 서울 전체 23위" in text and "마포구 23위" in text
    assert "빠른21" in text and text.count("느린걸음") == 1  # the own card, not the top list
    assert me.username not in text and "김마포" not in text
    assert_korean(page)
    r = c.post("/walking/rankings/profile/", {"nickname": "느린걸음"})  # 순위 참여 그만하기
    refresh_current(today)
    assert "느린걸음 님" not in shown(c.get("/walking/rankings/"))


def test_a_taken_nickname_is_refused_on_the_ranking_page_with_the_input_kept() -> None:
    profiles.set_nickname(walker("first"), "Walker Kim")
    r = client_of(factories.mapo_citizen()).post(
        "/walking/rankings/profile/", {"nickname": "walkerkim", "ranked": "1"}
    )
    assert r.status_code == 409
    assert "다른 회원이 쓰는 닉네임" in r.content.decode()
    assert 'value="walkerkim"' in r.content.decode()


def test_the_district_competition_is_public_with_a_chart_and_25_districts() -> None:
    today = timezone.localdate()
    walk(walker("gu-walker", MAPO), today, 9_000)
    refresh_current(today)
    page = Client().get("/walking/districts/?period=month")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and body.count("위</td>") == 25
    assert "마포구" in shown(page) and "9,000보" in shown(page)
    assert_korean(page)
