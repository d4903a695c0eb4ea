"""Walking campaigns that count (걷기 캠페인, [interp] WALK-5): joining (참여하기), live totals of
the participants' counted steps on the campaign's days (WALK-1 through `queries.counted_days`),
and the daily reward, paid once per participant and campaign day."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.bulk import post_awards
from mileage.partners.models import Partner
from mileage.rules.walk.campaigns import campaign_days, is_campaign_day, reward_for

from .. import rates
from ..errors import CampaignOver, SponsorBudgetExhausted
from ..models import CampaignEntry, CampaignReward, SponsorBudget, WalkCampaign
from ..queries import counted_days
from .accrual import PROGRAMME

log = logging.getLogger(__name__)

TOTALS_SECONDS = 60  # the campaign page's totals are at most this old


def is_open(campaign: WalkCampaign, today: dt.date) -> bool:
    return campaign.active and today <= campaign.ends_on


def join_campaign(
    member: Any, campaign: WalkCampaign, *, via: str = "page", today: dt.date | None = None
) -> tuple[CampaignEntry, bool]:
    """참여하기: once per member (a repeat returns the entry); refused once the campaign ended."""
    today = today or timezone.localdate()
    if not is_open(campaign, today):
        raise CampaignOver()
    existing = CampaignEntry.objects.filter(campaign=campaign, member=member).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = CampaignEntry.objects.create(campaign=campaign, member=member, via=via[:20])
    except IntegrityError:  # the same member's other tab joined a moment ago
        return CampaignEntry.objects.get(campaign=campaign, member=member), False
    cache.delete(_totals_key(campaign, today))  # the new participant shows at once
    log.info("campaign joined member=%s campaign=%s via=%s", member.pk, campaign.slug, via)
    return entry, True


def charge_sponsor(sponsor: Partner, won: int) -> None:
    """Take `won` from the sponsor's walking budget, or raise `SponsorBudgetExhausted`.

    One conditional UPDATE, which the database serialises per row: two claims at once can
    never spend past the budget. Call it inside the transaction that pays."""
    taken = SponsorBudget.objects.filter(
        sponsor=sponsor, spent_won__lte=F("budget_won") - won
    ).update(spent_won=F("spent_won") + won)
    if not taken:
        raise SponsorBudgetExhausted()


def _participants(campaign: WalkCampaign) -> Any:
    return CampaignEntry.objects.filter(campaign=campaign).values("member_id")


def _counted_sum(**filters: Any) -> int:
    """The sum of counted steps (WALK-1: the largest source per member-day) over the member-days
    matching `filters`, added up in the database (`counted_days` used as a table)."""
    sql, params = counted_days(**filters).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(t.steps), 0) FROM ({sql}) t", params)
        return int(cursor.fetchone()[0])


def campaign_totals(campaign: WalkCampaign, today: dt.date) -> dict[str, Any]:
    """Participants, their counted steps (WALK-1) on the campaign's days so far, km (at the
    dated default stride, WALK-2) and today's steps so far when today is a campaign day."""
    days = campaign_days(campaign.starts_on, campaign.ends_on, campaign.day_of_month, today)
    participants = CampaignEntry.objects.filter(campaign=campaign).count()
    steps = 0
    if days and participants:
        steps = _counted_sum(member_id__in=_participants(campaign), on__in=days)
    today_steps = 0
    if days and days[-1] == today and participants:
        today_steps = _counted_sum(member_id__in=_participants(campaign), on=today)
    km = rates.steps_km(steps, rates.default_stride_m(today))
    return {
        "participants": participants,
        "steps": steps,
        "km": int(km),
        "today_steps": today_steps,
        "is_day": is_campaign_day(
            today, campaign.starts_on, campaign.ends_on, campaign.day_of_month
        ),
        "days": len(days),
        "rewarded": CampaignReward.objects.filter(campaign=campaign).aggregate(m=Sum("mileage"))[
            "m"
        ]
        or 0,
    }


def live_totals(campaign: WalkCampaign, today: dt.date | None = None) -> dict[str, Any]:
    """`campaign_totals`, cached for `TOTALS_SECONDS` (a campaign page is opened by many)."""
    today = today or timezone.localdate()
    key = _totals_key(campaign, today)
    return cache.get_or_set(key, lambda: campaign_totals(campaign, today), TOTALS_SECONDS)


def _totals_key(campaign: WalkCampaign, today: dt.date) -> str:
    return f"walking:campaign-totals:{campaign.pk}:{today.isoformat()}"


def reward_day(campaign_id: int, on: dt.date) -> int:
    """[interp] WALK-5: pay the campaign's reward to each participant who walked at least the
    threshold on `on` (a campaign day that is over); returns how many were paid now.

    Once per participant and day: the campaign row is locked (two runs at once take turns),
    the `CampaignReward` row is unique and every reward has its ledger key
    `walk:campaign:<id>:<member>:<date>`. Set-based, like the daily accrual: one
    `ledger.bulk.post_awards` from the walking budget for the whole day (38,000 participants are
    a few statements, not 38,000 transfers). A sponsored campaign first charges its sponsor's
    `SponsorBudget` and moves that sum sponsor → walking budget in one transfer; when the budget
    cannot pay everyone, the participants with the lowest ids are paid, the rest stay unpaid
    and are logged (a rerun with a larger budget pays them). A participant counts from the
    (Seoul) day they joined [interp]."""
    with transaction.atomic():
        campaign = WalkCampaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.reward_mileage <= 0 or not campaign.active:
            return 0
        if not is_campaign_day(on, campaign.starts_on, campaign.ends_on, campaign.day_of_month):
            return 0
        amount = min(campaign.reward_mileage, rates.campaign_reward_max_mileage(on))
        rewarded = CampaignReward.objects.filter(campaign=campaign, on=on)
        done = rewarded.count()
        joined = CampaignEntry.objects.filter(campaign=campaign, joined_at__date__lte=on)
        rows = [
            (member_id, steps)
            for member_id, steps in counted_days(member_id__in=joined.values("member_id"), on=on)
            .filter(steps__gte=campaign.reward_min_steps)
            .exclude(member_id__in=rewarded.values("member_id"))
            .values_list("member_id", "steps")
            .order_by("member_id")
            if reward_for(steps, campaign.reward_min_steps, campaign.reward_mileage)
        ]
        if not rows:
            return 0
        budget = ledger.account("budget", programme=PROGRAMME)
        if campaign.sponsor_id is not None:
            rows = _sponsor_pays(campaign, on, rows, amount, done, budget)
        CampaignReward.objects.bulk_create(
            [
                CampaignReward(campaign=campaign, member_id=m, on=on, steps=s, mileage=amount)
                for m, s in rows
            ],
            batch_size=5_000,
        )
        post_awards(
            budget,
            [(_reward_key(campaign, m, on), m, amount, on) for m, _ in rows],
            memo=f"걷기 캠페인 보상: {campaign.title}",
        )
    log.info("campaign rewards campaign=%s on=%s paid=%d", campaign.slug, on, len(rows))
    return len(rows)


def _reward_key(campaign: WalkCampaign, member_id: int, on: dt.date) -> str:
    return f"walk:campaign:{campaign.pk}:{member_id}:{on.isoformat()}"


def _sponsor_pays(
    campaign: WalkCampaign,
    on: dt.date,
    rows: list[tuple[int, int]],
    amount: int,
    done: int,
    budget: Any,
) -> list[tuple[int, int]]:
    """The rows the sponsor's budget pays for (charged now), moved sponsor → walking budget in
    one transfer keyed by the campaign, the day and how many were paid before."""
    found = SponsorBudget.objects.select_for_update().filter(sponsor_id=campaign.sponsor_id).first()
    payable = min(len(rows), found.left_won // amount) if found is not None else 0
    if payable < len(rows):
        log.warning(
            "campaign rewards refused, sponsor budget spent campaign=%s on=%s unpaid=%d",
            campaign.slug,
            on,
            len(rows) - payable,
        )
    rows = rows[:payable]
    if rows:
        charge_sponsor(campaign.sponsor, amount * len(rows))
        ledger.transfer(
            f"walk:campaign:{campaign.pk}:{on.isoformat()}:sponsor:from-{done}",
            ledger.account("sponsor", partner=campaign.sponsor_id),
            budget,
            amount * len(rows),
            kind="transfer",
            memo=f"걷기 캠페인 보상 후원: {campaign.title} {len(rows):,}명",
            effective_on=on,
        )
    return rows


def reward_campaigns(on: dt.date | None = None) -> dict[str, int]:
    """The daily job: reward every campaign whose day `on` (default yesterday) was."""
    on = on or timezone.localdate() - dt.timedelta(days=1)
    out: dict[str, int] = {}
    rewarding = WalkCampaign.objects.filter(
        active=True, reward_mileage__gt=0, starts_on__lte=on, ends_on__gte=on
    )
    for campaign in rewarding:
        if is_campaign_day(on, campaign.starts_on, campaign.ends_on, campaign.day_of_month):
            out[campaign.slug] = reward_day(campaign.pk, on)
    return out
