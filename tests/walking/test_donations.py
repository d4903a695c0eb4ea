"""WALK-4: step donations — steps given once, budget never exceeded, running totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mileage.core.parameters import current_parameters
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.walking.errors import BudgetExhausted, CampaignClosed, NothingToDonate
from mileage.walking.models import DonationCampaign, StepDonationDay
from mileage.walking.services.donations import donate_steps
from mileage.walking.services.links import set_stride
from mileage.walking.stats import eok

from .helpers import campaign, steps

pytestmark = pytest.mark.django_db


def _ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_walk4_donating_all_steps_pays_100_won_per_km_sponsor_to_beneficiary(
    walker, walkon, bigwalk
):
    c = campaign()
    steps(walker, _ago(2), 10_000, walkon)
    steps(walker, _ago(2), 4_000, bigwalk)  # WALK-1: the day counts 10,000, not 14,000
    steps(walker, _ago(1), 5_000, walkon)
    gift = donate_steps(walker, c.pk)
    # 15,000 steps × 0.7 m = 10.5 km → 1,050 won
    assert (gift.steps, gift.won, gift.km) == (15_000, 1_050, Decimal("10.5"))
    c.refresh_from_db()
    assert (c.spent_won, c.donated_steps, c.donors) == (1_050, 15_000, 1)
    beneficiary = ledger.account("beneficiary", name=c.beneficiary)
    assert ledger.balance(beneficiary) == 1_050
    assert ledger.balance(ledger.account("sponsor", partner=c.sponsor)) == -1_050
    assert_books_balance()


def test_walk4_a_step_is_donated_at_most_once(walker, walkon):
    c = campaign()
    other = campaign(slug="other-campaign")
    steps(walker, _ago(1), 8_000, walkon)
    donate_steps(walker, c.pk, steps=3_000)
    donate_steps(walker, c.pk)  # the remaining 5,000
    with pytest.raises(NothingToDonate):
        donate_steps(walker, c.pk)
    with pytest.raises(NothingToDonate):
        donate_steps(walker, other.pk)  # not to another campaign either
    assert sum(StepDonationDay.objects.values_list("steps", flat=True)) == 8_000
    c.refresh_from_db()
    assert (c.donated_steps, c.donors) == (8_000, 1)
    assert_books_balance()


def test_walk4_more_steps_after_a_donation_can_be_donated(walker, walkon):
    c = campaign()
    steps(walker, _ago(1), 2_000, walkon)
    donate_steps(walker, c.pk)
    steps(walker, _ago(1), 3_000, walkon)  # the app re-sends a larger total for the day
    assert donate_steps(walker, c.pk).steps == 1_000


def test_walk4_the_budget_is_never_exceeded_the_last_gift_is_cut_to_fit(walker, walkon):
    c = campaign(budget_won=500)
    steps(walker, _ago(1), 10_000, walkon)  # would be 700 won
    gift = donate_steps(walker, c.pk)
    assert gift.won <= 500 and gift.steps == 7_142  # 7,142 × 0.7 m = 4.9994 km → 499 won
    with pytest.raises(BudgetExhausted):
        donate_steps(walker, c.pk)
    c.refresh_from_db()
    assert c.spent_won == gift.won <= c.budget_won
    assert_books_balance()


def test_walk2_the_members_own_stride_changes_the_km(walker, walkon):
    from decimal import Decimal

    set_stride(walker, Decimal("0.80"))
    c = campaign()
    steps(walker, _ago(1), 10_000, walkon)
    assert donate_steps(walker, c.pk).won == 800


def test_walk4_steps_outside_the_campaign_dates_do_not_count(walker, walkon):
    c = campaign(starts_on=_ago(3))
    steps(walker, _ago(10), 9_000, walkon)
    with pytest.raises(NothingToDonate):
        donate_steps(walker, c.pk)
    closed = campaign(slug="closed", starts_on=_ago(40), ends_on=_ago(20))
    with pytest.raises(CampaignClosed):
        donate_steps(walker, closed.pk)


def test_walk4_running_total_in_eok_steps():
    assert eok(29_200_000_000) == "292억"
    assert eok(4_500_000_000) == "45억"
    assert eok(150_000_000) == "1.5억"
    assert eok(14_341_254) == "1,434만"  # not "0.1억"
    assert eok(99_990_000) == "9,999만"
    assert eok(123_456) == "12만" and eok(12_345) == "12,345"


def test_walk4_campaign_page_shows_the_running_total(client, walker, walkon):
    c = campaign()
    steps(walker, _ago(1), 10_000, walkon)
    donate_steps(walker, c.pk)
    page = client.get(f"/walking/campaigns/{c.slug}/").content.decode()
    assert "10,000보" in page and "700원" in page
    assert DonationCampaign.objects.get(pk=c.pk).donors == 1


def test_walk4_a_new_campaign_starts_from_the_dated_default_rate(db) -> None:
    """WALK-4: the default rate is the parameter walk.donation_won_per_km, not a model number."""
    field = DonationCampaign._meta.get_field("rate_won_per_km")
    assert callable(field.default)
    today = timezone.localdate()
    rate = current_parameters().at("walk.donation_won_per_km", today)
    assert DonationCampaign(slug="new").rate_won_per_km == rate == 100
