"""Precomputed rankings: WALK-1 counted days, ties share a rank, opted-out walkers never appear,
district averages over walkers who walked, crews by their members' steps."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings

from mileage.accounts.districts import JUNG, MAPO
from mileage.accounts.models import District
from mileage.community import queries
from mileage.community.models import (
    CrewRank,
    DistrictRank,
    Period,
    PeriodSteps,
    RankingRefresh,
    WalkerRank,
)
from mileage.community.services import crews, profiles
from mileage.community.services.rankings import refresh, refresh_current
from mileage.community.tasks import refresh_rankings_task
from tests.community.helpers import walk, walker

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 18)  # a Wednesday; its week is 16–22 November


@pytest.fixture
def walkers() -> dict[str, object]:
    people = {
        "ann": walker("rank-ann", MAPO),
        "bo": walker("rank-bo", MAPO),
        "cy": walker("rank-cy", JUNG),
        "hidden": walker("rank-hidden", MAPO),
    }
    for name in ("ann", "bo", "cy"):
        profiles.set_nickname(people[name], f"{name}닉", ranked=True)
    profiles.set_nickname(people["hidden"], "숨은이", ranked=False)
    # ann: two apps on one day count the largest (WALK-1), never the sum
    walk(people["ann"], DAY, 8_000)
    walk(people["ann"], DAY, 5_000, source="sponsor")
    walk(people["ann"], DAY - dt.timedelta(days=1), 4_000)
    walk(people["bo"], DAY, 12_000)  # ties with ann: 12,000
    walk(people["cy"], DAY, 3_000)
    walk(people["hidden"], DAY, 30_000)  # the most, but not opted in
    walk(people["cy"], DAY - dt.timedelta(days=7), 99_000)  # last week: not in this week
    return people


def test_walkers_are_ranked_by_counted_steps_with_ties_sharing_a_rank(walkers) -> None:
    r = refresh(Period.WEEK, DAY)
    rows = {w.nickname: w for w in WalkerRank.objects.filter(period="week", starts_on=r.starts_on)}
    assert {n: (w.steps, w.rank_seoul) for n, w in rows.items()} == {
        "ann닉": (12_000, 1),
        "bo닉": (12_000, 1),
        "cy닉": (3_000, 3),
    }
    assert (rows["ann닉"].rank_district, rows["cy닉"].rank_district) == (1, 1)
    assert r.walkers == 3


def test_a_walker_who_did_not_opt_in_or_opted_out_is_never_listed(walkers) -> None:
    refresh(Period.WEEK, DAY)
    assert not WalkerRank.objects.filter(nickname="숨은이").exists()
    profiles.stop_ranking(walkers["bo"])
    r = refresh(Period.WEEK, DAY)
    assert [w.nickname for w in queries.seoul_top(r)] == ["ann닉", "cy닉"]
    assert queries.own_rank(r, walkers["bo"]) is None
    assert queries.seoul_top(r)[1].rank_seoul == 2


def test_district_average_is_over_walkers_who_walked_and_counts_everyone(walkers) -> None:
    r = refresh(Period.WEEK, DAY)
    rows = {d.name: d for d in DistrictRank.objects.filter(starts_on=r.starts_on)}
    assert len(rows) == District.objects.count() == 25
    mapo, jung = rows["마포구"], rows["중구"]
    # ann 12,000 + bo 12,000 + the hidden walker 30,000: a district figure names nobody
    assert (mapo.walkers, mapo.steps, mapo.steps_per_walker, mapo.rank) == (3, 54_000, 18_000, 1)
    assert (jung.walkers, jung.steps, jung.steps_per_walker, jung.rank) == (1, 3_000, 3_000, 2)
    assert rows["강남구"].walkers == 0 and rows["강남구"].rank == 3


def test_month_includes_earlier_weeks(walkers) -> None:
    r = refresh(Period.MONTH, DAY)
    assert (r.starts_on, r.ends_on) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    cy = WalkerRank.objects.get(period="month", nickname="cy닉")
    assert (cy.steps, cy.rank_seoul) == (102_000, 1)


def test_crews_rank_by_their_current_members_steps(walkers) -> None:
    one = crews.create_crew(walkers["ann"], "앤 모임")
    crews.join_crew(walkers["hidden"], one.code)
    two = crews.create_crew(walkers["cy"], "씨 모임")
    r = refresh(Period.WEEK, DAY)
    rows = [(c.name, c.walkers, c.steps, c.rank) for c in queries.crew_top(r)]
    assert rows == [("앤 모임", 2, 42_000, 1), ("씨 모임", 1, 3_000, 2)]
    assert two.pk == CrewRank.objects.get(name="씨 모임").crew_id


def test_a_refresh_rewrites_and_never_duplicates(walkers) -> None:
    refresh(Period.WEEK, DAY, today=DAY)
    walk(walkers["cy"], DAY, 50_000)  # a re-send replaces the day (WALK-1)
    r = refresh(Period.WEEK, DAY, today=DAY)
    assert WalkerRank.objects.filter(starts_on=r.starts_on).count() == 3
    assert queries.seoul_top(r)[0].nickname == "cy닉"
    assert queries.seoul_top(r)[0].steps == 50_000


def test_final_days_are_summed_once_and_the_open_days_read_again(walkers) -> None:
    """Days older than `walk.ranking_final_after_days` (2) are added to the period's sums once;
    the refresh reads only the later days, and the nightly full rebuild recounts everything."""
    later = DAY + dt.timedelta(days=3)  # Saturday: 16–19 November are final, 20–21 open
    r = refresh(Period.WEEK, DAY, today=later)
    assert r.closed_through == dt.date(2026, 11, 19)
    walk(walkers["bo"], DAY + dt.timedelta(days=2), 1_000)  # Friday: still open
    walk(walkers["ann"], DAY, 20_000)  # a late re-send of a final day
    r = refresh(Period.WEEK, DAY, today=later)
    rows = {w.nickname: w.steps for w in queries.seoul_top(r)}
    assert rows == {"ann닉": 12_000, "bo닉": 13_000, "cy닉": 3_000}  # ann's late day not yet
    r = refresh(Period.WEEK, DAY, today=later, full=True)
    rows = {w.nickname: w.steps for w in queries.seoul_top(r)}
    assert rows == {"ann닉": 24_000, "bo닉": 13_000, "cy닉": 3_000}
    assert PeriodSteps.objects.filter(starts_on=r.starts_on).count() == 4  # hidden walker too
    r = refresh(Period.WEEK, DAY, today=later + dt.timedelta(days=10))  # all final now
    assert {w.nickname: w.steps for w in queries.seoul_top(r)}["bo닉"] == 13_000


def test_the_task_refreshes_this_and_yesterdays_periods(walkers) -> None:
    monday = dt.date(2026, 11, 23)
    # last week: three, November: three, the new week: none yet
    assert refresh_rankings_task(monday.isoformat()) == 6
    starts = set(WalkerRank.objects.values_list("period", "starts_on"))
    assert starts == {("week", dt.date(2026, 11, 16)), ("month", dt.date(2026, 11, 1))}
    assert queries.latest_refresh("week", monday).starts_on == monday


def test_prune_keeps_the_current_and_previous_period(walkers) -> None:
    refresh(Period.WEEK, DAY - dt.timedelta(days=14))
    refresh_current(DAY)
    assert not WalkerRank.objects.filter(period="week", starts_on__lt=dt.date(2026, 11, 9)).exists()


def test_the_30_minute_job_refreshes_only_the_periods_containing_today(walkers) -> None:
    """On a Monday the week that ended yesterday is no longer shown (`latest_refresh`): the job
    every 30 minutes leaves it alone; the run after the accrual and the nightly rebuild take it."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    every_30 = schedule["community-refresh-rankings"]
    after_accrual = schedule["community-refresh-ended-rankings"]
    assert every_30["schedule"] == crontab(minute="*/30")
    assert after_accrual["schedule"] == crontab(minute=30, hour=0)
    monday = dt.date(2026, 11, 23)

    assert refresh_rankings_task(monday.isoformat(), **every_30["kwargs"]) == 3  # November
    refreshed = set(RankingRefresh.objects.values_list("period", "starts_on"))
    assert refreshed == {("week", monday), ("month", dt.date(2026, 11, 1))}

    assert refresh_rankings_task(monday.isoformat(), **after_accrual["kwargs"]) == 3
    assert RankingRefresh.objects.filter(period="week", starts_on=dt.date(2026, 11, 16)).exists()
    week = {w.nickname for w in WalkerRank.objects.filter(starts_on=dt.date(2026, 11, 16))}
    assert week == {"ann닉", "bo닉", "cy닉"}
    assert [r.starts_on for r in refresh_current(monday, periods="previous")] == [
        dt.date(2026, 11, 16)
    ]
    # on a Tuesday nothing ended yesterday; on the 1st the month did (its week goes on)
    assert refresh_current(monday + dt.timedelta(days=1), periods="previous") == []
    first = refresh_current(dt.date(2026, 12, 1), periods="previous")
    assert [(r.period, r.starts_on) for r in first] == [("month", dt.date(2026, 11, 1))]
    with pytest.raises(ValueError):
        refresh_current(monday, periods="yesterday")
