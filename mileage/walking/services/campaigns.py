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


def _source_account(campaign: WalkCampaign) -> Any:
    if campaign.sponsor_id is not None:
        return ledger.account("sponsor", partner=campaign.sponsor_id)
    return ledger.account("budget", programme=PROGRAMME)


def reward_day(campaign_id: int, on: dt.date) -> int:
    """[interp] WALK-5: pay the campaign's reward to each participant who walked at least the
    threshold on `on` (a campaign day that is over); returns how many were paid now.

    Once per participant and day: the campaign row is locked (two runs at once take turns),
    the `CampaignReward` row is unique and the ledger key `walk:campaign:<id>:<member>:<date>`
    is idempotent. From the sponsor's budget (refused, and the rest left unpaid and logged,
    once it is spent) or, without a sponsor, from the walking budget. A participant counts
    from the day they joined (Seoul date) [interp]."""
    with transaction.atomic():
        campaign = WalkCampaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.reward_mileage <= 0 or not campaign.active:
            return 0
        if not is_campaign_day(on, campaign.starts_on, campaign.ends_on, campaign.day_of_month):
            return 0
        amount = min(campaign.reward_mileage, rates.campaign_reward_max_mileage(on))
        done = set(
            CampaignReward.objects.filter(campaign=campaign, on=on).values_list(
                "member_id", flat=True
            )
        )
        joined = CampaignEntry.objects.filter(campaign=campaign, joined_at__date__lte=on)
        rows = (
            counted_days(member_id__in=joined.values("member_id"), on=on)
            .filter(steps__gte=campaign.reward_min_steps)
            .values_list("member_id", "steps")
            .order_by("member_id")
        )
        source = _source_account(campaign)
        paid = 0
        for member_id, steps in rows:
            if member_id in done or not reward_for(
                steps, campaign.reward_min_steps, campaign.reward_mileage
            ):
                continue
            if campaign.sponsor_id is not None:
                try:
                    charge_sponsor(campaign.sponsor, amount)
                except SponsorBudgetExhausted:
                    log.warning(
                        "campaign reward refused, sponsor budget spent campaign=%s on=%s",
                        campaign.slug,
                        on,
                    )
                    break
            CampaignReward.objects.create(
                campaign=campaign, member_id=member_id, on=on, steps=steps, mileage=amount
            )
            ledger.transfer(
                f"walk:campaign:{campaign.pk}:{member_id}:{on.isoformat()}",
                source,
                ledger.account("wallet", user=member_id),
                amount,
                kind="award",
                memo=f"걷기 캠페인 보상: {campaign.title} ({steps:,}보)",
                effective_on=on,
            )
            paid += 1
    log.info("campaign rewards campaign=%s on=%s paid=%d", campaign.slug, on, paid)
    return paid


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
