"""Issue #15: a typo must not donate all one's steps. An empty field (all) or a donation of at
least `walk.donation_confirm_steps` is shown for confirmation first (steps and the sponsor's
won); more than one may donate is refused next to the field with what was typed kept; nothing is
donated before the confirmed form comes back, and a repeated confirmation gives once (WALK-4)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mileage.ledger.checks import assert_books_balance
from mileage.walking.models import StepDonation

from .helpers import campaign, steps

pytestmark = pytest.mark.django_db


def _page(client: Client, slug: str) -> tuple[str, str]:
    page = client.get(f"/walking/campaigns/{slug}/").content.decode()
    return page, re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]


@pytest.fixture
def setup(walker, walkon, today):
    steps(walker, today, 30_000, walkon)
    c = campaign()
    client = Client()
    client.force_login(walker)
    return client, c


def test_walk4_an_empty_field_asks_to_confirm_all_steps_and_donates_nothing_yet(setup) -> None:
    client, c = setup
    _, key = _page(client, c.slug)
    asked = client.post(f"/walking/campaigns/{c.slug}/donate/", {"steps": "", "key": key})
    text = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="donate-confirm"' in text
    assert "기부할 수 있는 걸음 전부인" in text and "30,000보" in text
    assert StepDonation.objects.count() == 0
    confirm_key = re.search(
        r'name="key" value="([0-9a-f]{32})">\s*<input type="hidden" name="steps" value="30000">',
        text,
    )[1]
    form = {"steps": "30000", "confirmed": "1", "key": confirm_key}
    for _ in range(2):  # a double click on the confirmation gives once
        done = client.post(f"/walking/campaigns/{c.slug}/donate/", form)
        assert done.status_code == 302
    assert list(StepDonation.objects.values_list("steps", flat=True)) == [30_000]
    assert_books_balance()


def test_walk4_a_large_number_is_confirmed_first_a_small_one_is_given_at_once(setup) -> None:
    client, c = setup
    _, key = _page(client, c.slug)
    asked = client.post(f"/walking/campaigns/{c.slug}/donate/", {"steps": "12,000", "key": key})
    assert 'data-testid="donate-confirm"' in asked.content.decode()
    assert "12,000보" in asked.content.decode() and StepDonation.objects.count() == 0
    _, key = _page(client, c.slug)
    small = client.post(f"/walking/campaigns/{c.slug}/donate/", {"steps": "2000", "key": key})
    assert small.status_code == 302
    assert list(StepDonation.objects.values_list("steps", flat=True)) == [2_000]


@pytest.mark.parametrize("typed", ["999999999", "12a", "40000"])
def test_walk4_a_typo_is_refused_next_to_the_field_with_what_was_typed(setup, typed) -> None:
    client, c = setup
    _, key = _page(client, c.slug)
    refused = client.post(f"/walking/campaigns/{c.slug}/donate/", {"steps": typed, "key": key})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert 'class="field-error" role="alert" id="steps-error"' in text
    assert f'value="{typed}"' in text  # what was typed is kept
    assert "walking.bad_steps" not in text and "walking.too_many_steps" not in text  # no code
    if typed == "40000":
        assert "기부할 수 있는 걸음은 30,000보입니다" in text
    assert StepDonation.objects.count() == 0
