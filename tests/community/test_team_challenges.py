"""Team challenges (팀 챌린지): a crew's counted steps toward a goal; on success each member at the
end of the period who walked in it is rewarded once (`walk:team:<challenge>:<member>`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.community.errors import AlreadyMember, ChallengeClosed
from mileage.community.models import CrewMembership, TeamChallenge, TeamEntry
from mileage.community.services import crews, team
from mileage.community.tasks import settle_team_challenges_task
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from tests import factories
from tests.community.helpers import walk, walker

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
AFTER = END + dt.timedelta(days=3)  # the last day is final 2 days on (ranking_final_after_days)


def challenge(slug: str = "november-team", sponsor=None, goal: int = 30_000) -> TeamChallenge:
    return TeamChallenge.objects.create(
        slug=slug,
        title="11월 첫 주 함께 걷기",
        sponsor=sponsor,
        goal_steps=goal,
        reward_mileage=500,
        starts_on=START,
        ends_on=END,
    )


def crew_of(*names: str, crew_name: str = "팀 모임"):
    """A crew whose members joined before the challenge's period (their rows are backdated)."""
    people = [walker(n) for n in names]
    crew = crews.create_crew(people[0], crew_name)
    for p in people[1:]:
        crews.join_crew(p, crew.code)
    backdate()
    return crew, people


def backdate() -> None:
    joined = timezone.make_aware(dt.datetime.combine(START - dt.timedelta(days=1), dt.time(9)))
    CrewMembership.objects.update(joined_at=joined)


def wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def test_a_crew_reaching_the_goal_rewards_each_member_who_walked_once() -> None:
    c = challenge()
    crew, (a, b, idle) = crew_of("team-a", "team-b", "team-idle")
    walk(a, START, 20_000)
    walk(b, END, 12_000)
    walk(b, END, 9_000, source="sponsor")  # the largest source counts (WALK-1): 12,000
    walk(idle, START - dt.timedelta(days=1), 50_000)  # before the period: not counted
    entry = team.take_challenge(a, crew, c, today=START)
    assert team.progress(entry) == 32_000

    assert team.settle_team_challenges(AFTER) == 2
    assert (wallet(a), wallet(b), wallet(idle)) == (500, 500, 0)
    entry.refresh_from_db()
    assert (entry.reached, entry.total_steps, entry.rewarded_members) == (True, 32_000, 2)
    assert Transaction.objects.filter(key=f"walk:team:{c.pk}:{a.pk}").count() == 1
    assert ledger.balance(ledger.account("budget", programme="walk")) == -1_000
    assert "팀 챌린지 달성" in ledger.history(ledger.account("wallet", user=a))[0].transaction.memo

    assert team.settle_team_challenges(AFTER) == 0  # a rerun pays nobody again
    assert settle_team_challenges_task(AFTER.isoformat()) == 0
    assert (wallet(a), wallet(b)) == (500, 500)
    assert_books_balance()


def test_a_crew_short_of_the_goal_gets_nothing_and_is_settled() -> None:
    c = challenge()
    crew, (a,) = crew_of("team-a")
    walk(a, START, 29_999)
    team.take_challenge(a, crew, c, today=START)
    assert team.settle_team_challenges(AFTER) == 0
    entry = TeamEntry.objects.get()
    assert (entry.reached, entry.settled_at is not None) == (False, True)
    assert wallet(a) == 0
    assert_books_balance()


def test_nothing_is_settled_before_the_period_is_over() -> None:
    c = challenge()
    crew, (a,) = crew_of("team-a")
    walk(a, START, 40_000)
    team.take_challenge(a, crew, c, today=START)
    assert team.settle_team_challenges(END) == 0
    assert team.settle_team_challenges(END + dt.timedelta(days=2)) == 0  # last day not final
    assert TeamEntry.objects.get().settled_at is None
    assert team.settle_team_challenges(AFTER) == 1


def test_a_sponsor_pays_and_a_member_who_left_before_the_end_is_not_rewarded() -> None:
    sponsor = factories.partner("sponsor")
    c = challenge(sponsor=sponsor)
    crew, (a, gone) = crew_of("team-a", "team-gone")
    walk(a, START, 25_000)
    walk(gone, START, 25_000)
    team.take_challenge(a, crew, c, today=START)
    crews.leave_crew(gone, crew.pk)  # today, long after the period: still a member at its end
    assert team.settle_team_challenges(AFTER) == 2
    assert ledger.balance(ledger.account("sponsor", partner=sponsor)) == -1_000
    assert_books_balance()


def test_a_member_who_left_before_the_period_ended_is_not_counted() -> None:
    c = challenge(goal=20_000)
    crew, (a, gone) = crew_of("team-a", "team-gone")
    walk(a, START, 15_000)
    walk(gone, START, 15_000)
    team.take_challenge(a, crew, c, today=START)
    row = crew.memberships.get(member=gone)
    row.left_at = timezone.make_aware(dt.datetime.combine(START, dt.time(12)))
    row.save()
    assert team.settle_team_challenges(AFTER) == 0  # 15,000 < 20,000 without the leaver
    assert (wallet(a), wallet(gone)) == (0, 0)


def test_a_member_of_two_crews_that_both_reach_it_is_paid_once() -> None:
    c = challenge(goal=10_000)
    one, (a, both) = crew_of("team-a", "team-both", crew_name="첫째 모임")
    two, (b,) = crew_of("team-b", crew_name="둘째 모임")
    crews.join_crew(both, two.code)
    backdate()
    for p in (a, both, b):
        walk(p, START, 10_000)
    team.take_challenge(a, one, c, today=START)
    team.take_challenge(b, two, c, today=START)
    team.settle_team_challenges(AFTER)
    assert (wallet(a), wallet(both), wallet(b)) == (500, 500, 500)
    assert_books_balance()


def test_a_crew_takes_a_challenge_once_and_not_after_it_ended() -> None:
    today = timezone.localdate()
    live = TeamChallenge.objects.create(
        slug="live", title="진행 중", goal_steps=1, reward_mileage=1,
        starts_on=today, ends_on=today + dt.timedelta(days=3),
    )  # fmt: skip
    crew, (a,) = crew_of("team-a")
    team.take_challenge(a, crew, live)
    with pytest.raises(AlreadyMember):
        team.take_challenge(a, crew, live)
    with pytest.raises(ChallengeClosed):
        team.take_challenge(a, crew, challenge())
