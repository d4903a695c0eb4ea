"""걷기 캠페인 ([interp] WALK-5 over WALK-1): participants and their counted steps on the campaign's
days only; the daily reward is paid once per participant and campaign day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import CampaignOver
from mileage.walking.models import BonusDay, CampaignEntry, CampaignReward, SponsorBudget
from mileage.walking.services.accrual import PROGRAMME
from mileage.walking.services.campaigns import (
    campaign_totals,
    join_campaign,
    reward_campaigns,
    reward_day,
)
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import sponsor_budget, steps, walk_campaign

pytestmark = pytest.mark.django_db


def _last_11th(today: dt.date) -> dt.date:
    """The latest 11th that is over (before today)."""
    d = today.replace(day=11)
    if d >= today:
        d = (d.replace(day=1) - dt.timedelta(days=1)).replace(day=11)
    return d


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def test_totals_count_only_participants_and_only_campaign_days(walker, walkon, bigwalk, today):
    day = _last_11th(today)
    c = walk_campaign()
    other = factories.jung_citizen()
    join_campaign(walker, c, today=day - dt.timedelta(days=1))
    steps(walker, day, 9_000, walkon)
    steps(walker, day, 12_000, bigwalk)  # WALK-1: the largest source counts, not the sum
    steps(walker, day + dt.timedelta(days=1), 30_000, walkon)  # the 12th: not a campaign day
    steps(other, day, 50_000, walkon)  # walked on the day but never joined
    totals = campaign_totals(c, today)
    assert totals["participants"] == 1
    assert totals["steps"] == 12_000
    assert totals["km"] == 8  # 12,000 × 0.7 m (the dated default stride)


def test_todays_steps_so_far_on_a_campaign_day(walker, walkon, today):
    c = walk_campaign(day_of_month=None, starts_on=today - dt.timedelta(days=2))
    join_campaign(walker, c)
    steps(walker, today - dt.timedelta(days=1), 5_000, walkon)
    steps(walker, today, 3_210, walkon)
    totals = campaign_totals(c, today)
    assert totals["is_day"] and totals["today_steps"] == 3_210
    assert totals["steps"] == 8_210


def test_joining_twice_keeps_one_entry_and_an_ended_campaign_refuses(walker, today):
    c = walk_campaign()
    assert join_campaign(walker, c)[1] is True
    assert join_campaign(walker, c)[1] is False
    assert CampaignEntry.objects.filter(campaign=c).count() == 1
    ended = walk_campaign("ended", ends_on=today - dt.timedelta(days=1))
    with pytest.raises(CampaignOver) as refused:
        join_campaign(walker, ended)
    assert "끝났" in refused.value.message


def test_reward_paid_once_per_participant_and_day_from_the_walking_budget(walker, walkon, today):
    day = _last_11th(today)
    c = walk_campaign(reward_min_steps=8_000, reward_mileage=300)
    slow = factories.jung_citizen()
    for m in (walker, slow):
        CampaignEntry.objects.create(campaign=c, member=m)
    CampaignEntry.objects.filter(campaign=c).update(
        joined_at=timezone.now() - dt.timedelta(days=60)
    )
    steps(walker, day, 8_000, walkon)
    steps(slow, day, 7_999, walkon)  # below the threshold
    steps(walker, day - dt.timedelta(days=1), 20_000, walkon)  # the 10th: not a campaign day
    assert reward_day(c.pk, day) == 1
    assert reward_day(c.pk, day) == 0  # rerun: paid once
    assert reward_day(c.pk, day - dt.timedelta(days=1)) == 0
    assert reward_campaigns(day) == {c.slug: 0}
    assert _wallet(walker) == 300 and _wallet(slow) == 0
    tx = Transaction.objects.get(key=f"walk:campaign:{c.pk}:{walker.pk}:{day.isoformat()}")
    assert tx.kind == "award"
    assert ledger.balance(ledger.account("budget", programme=PROGRAMME)) == -300
    assert CampaignReward.objects.get().steps == 8_000
    assert_books_balance()


def test_a_member_who_joined_after_the_day_is_not_rewarded_for_it(walker, walkon, today):
    day = _last_11th(today)
    c = walk_campaign(reward_min_steps=1_000, reward_mileage=100)
    join_campaign(walker, c)  # joined today, after the day
    steps(walker, day, 10_000, walkon)
    assert reward_day(c.pk, day) == 0
    assert _wallet(walker) == 0


def test_sponsor_paid_reward_stops_at_the_sponsors_budget(walker, walkon, today):
    day = _last_11th(today)
    sponsor = factories.partner("sponsor")
    c = walk_campaign(reward_min_steps=1_000, reward_mileage=500, sponsor=sponsor)
    people = [walker, factories.jung_citizen(), factories.person("walker-3")]
    for p in people:
        CampaignEntry.objects.create(campaign=c, member=p)
        steps(p, day, 5_000, walkon)
    CampaignEntry.objects.update(joined_at=timezone.now() - dt.timedelta(days=60))
    sponsor_budget(1_200)  # two rewards of 500, not three
    assert reward_day(c.pk, day) == 2
    assert SponsorBudget.objects.get().spent_won == 1_000
    assert ledger.balance(ledger.account("sponsor", partner=sponsor)) == -1_000
    assert sum(_wallet(p) for p in people) == 1_000
    sponsor_budget(1_500)  # the city raises the budget: a rerun pays the one left, once
    assert reward_day(c.pk, day) == 1
    assert reward_day(c.pk, day) == 0
    assert sum(_wallet(p) for p in people) == 1_500
    assert SponsorBudget.objects.get().spent_won == 1_500
    assert ledger.balance(ledger.account("budget", programme=PROGRAMME)) == 0  # sponsor paid all
    assert_books_balance()


def test_the_11th_bonus_multiplier_still_applies_next_to_the_campaign(walker, walkon, today):
    """The campaign does not replace BonusDay: the accrual of the 11th still doubles."""
    day = _last_11th(today)
    BonusDay.objects.create(
        name="걷기의 날", multiplier=2, day_of_month=11, starts_on=day - dt.timedelta(days=1)
    )
    c = walk_campaign(reward_min_steps=10_000, reward_mileage=200)
    CampaignEntry.objects.create(campaign=c, member=walker)
    CampaignEntry.objects.update(joined_at=timezone.now() - dt.timedelta(days=60))
    steps(walker, day, 10_000, walkon)
    accrue_day(day)
    call_command("walk_campaign_rewards", "--date", day.isoformat())
    assert _wallet(walker) == 2 * 100 + 200  # WALK-3 cap 100 × 2, plus the campaign's 200
    assert_books_balance()


def test_the_daily_reward_task_is_scheduled_and_pays_once(settings, walker, walkon, today):
    from mileage.core.jobs import job_label
    from mileage.walking.tasks import reward_campaigns_task

    jobs = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "walking.reward_campaigns" in jobs
    assert job_label("walking.reward_campaigns").startswith("전날 걷기 캠페인")
    day = _last_11th(today)
    c = walk_campaign(reward_min_steps=1_000, reward_mileage=150)
    CampaignEntry.objects.create(campaign=c, member=walker)
    CampaignEntry.objects.update(joined_at=timezone.now() - dt.timedelta(days=60))
    steps(walker, day, 2_000, walkon)
    assert reward_campaigns_task.apply(args=[day.isoformat()]).get() == {c.slug: 1}
    assert reward_campaigns_task.apply(args=[day.isoformat()]).get() == {c.slug: 0}
    assert _wallet(walker) == 150
    assert_books_balance()
