"""WALK-4: members donate steps they have not donated before; the sponsor pays the beneficiary
`rate_won_per_km` per km, never beyond the campaign budget (also under concurrent donations)."""

from __future__ import annotations

import datetime as dt
import logging
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mileage.ledger import services as ledger

from ..errors import BudgetExhausted, CampaignClosed, NothingToDonate, WalkingError
from ..models import DonationCampaign, StepDonation, StepDonationDay
from ..queries import donatable_days
from ..rates import default_stride_m, donation_won, steps_km
from .links import stride_of

log = logging.getLogger(__name__)


def steps_for(won: int, stride_m: Fraction, rate_won_per_km: int, on: dt.date) -> int:
    """The most steps whose donation costs at most `won` (to stop exactly at the budget)."""
    steps = math.floor(Fraction(won) * 1000 / (stride_m * rate_won_per_km))
    while steps > 0 and donation_won(steps, stride_m, rate_won_per_km, on) > won:
        steps -= 1  # guard: the rules' rounding decides, never this estimate
    return steps


def donate_steps(
    member: Any, campaign_id: int, *, steps: int | None = None, today: dt.date | None = None
) -> StepDonation:
    """WALK-4: give `steps` (default: all not yet donated) walked within the campaign's dates.

    Locks the member (a step is donated once, even from two tabs) and then the campaign (its
    budget and running totals); the ledger posts sponsor → beneficiary under `walk:donation:<id>`.
    """
    today = today or timezone.localdate()
    if steps is not None and steps <= 0:
        raise WalkingError("기부할 걸음 수는 1 이상이어야 합니다.", code="walking.bad_steps")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        campaign = DonationCampaign.objects.select_for_update().get(pk=campaign_id)
        if not campaign.starts_on <= today <= campaign.ends_on:
            raise CampaignClosed()
        days = donatable_days(member.pk, campaign.starts_on, min(campaign.ends_on, today))
        available = sum(s for _, s in days)
        wanted = available if steps is None else min(steps, available)
        if wanted <= 0:
            raise NothingToDonate()
        own = stride_of(member.pk)
        stride = Fraction(own) if own is not None else default_stride_m(today)
        left_won = campaign.budget_won - campaign.spent_won
        if left_won <= 0:
            raise BudgetExhausted()
        won = donation_won(wanted, stride, campaign.rate_won_per_km, today)
        if won > left_won:  # WALK-4: the budget is never exceeded; give what it still pays for
            wanted = steps_for(left_won, stride, campaign.rate_won_per_km, today)
            won = donation_won(wanted, stride, campaign.rate_won_per_km, today)
            if won <= 0:
                raise BudgetExhausted()
        if won <= 0:
            raise WalkingError(
                "기부액이 1원 이상이 되도록 걸음을 더 모아 주세요.", code="walking.too_few_steps"
            )
        first_gift = not StepDonation.objects.filter(campaign=campaign, member=member).exists()
        gift = StepDonation.objects.create(
            campaign=campaign,
            member=member,
            steps=wanted,
            km=Decimal(steps_km(wanted, stride).numerator)
            / Decimal(steps_km(wanted, stride).denominator),
            won=won,
        )
        StepDonationDay.objects.bulk_create(_allocate(gift, member.pk, days, wanted))
        DonationCampaign.objects.filter(pk=campaign.pk).update(
            spent_won=F("spent_won") + won,
            donated_steps=F("donated_steps") + wanted,
            donors=F("donors") + (1 if first_gift else 0),
        )
        ledger.transfer(
            f"walk:donation:{gift.pk}",
            ledger.account("sponsor", partner=campaign.sponsor),
            ledger.account("beneficiary", name=campaign.beneficiary),
            won,
            kind="donation",
            memo=f"걸음 기부: {campaign.title} ({wanted:,}보)",
            effective_on=today,
        )
    log.info(
        "steps donated member=%s campaign=%s steps=%d won=%d", member.pk, campaign.slug, wanted, won
    )
    return gift


def _allocate(
    gift: StepDonation, member_id: int, days: list[tuple[dt.date, int]], wanted: int
) -> list[StepDonationDay]:
    """Take the steps from the oldest days first."""
    rows: list[StepDonationDay] = []
    for on, free in days:
        if wanted <= 0:
            break
        take = min(free, wanted)
        rows.append(StepDonationDay(donation=gift, member_id=member_id, on=on, steps=take))
        wanted -= take
    return rows
