"""LEDGER-2 parameters come from the rules engine's dated parameters (STYLE.md §2): the value in
force on the day, and before the first key no value at all (an error, never a default)."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.ledger import params
from mileage.rules.errors import MissingParameter
from mileage.rules.params import default_parameters

pytestmark = pytest.mark.django_db  # current_parameters() reads the approved changes


def test_ledger2_expiry_years_and_notice_days_are_the_dated_parameters() -> None:
    on = dt.date(2025, 7, 20)
    values = default_parameters()
    assert params.expiry_years(on) == values.at("common.mileage_expiry_years", on) == 5
    assert params.notice_days(on) == values.at("common.mileage_expiry_notice_days", on) == 30


def test_ledger2_before_the_first_key_there_is_no_expiry_and_no_notice_period() -> None:
    before = dt.date(1999, 12, 31)  # both files start on 2000-01-01
    with pytest.raises(MissingParameter):
        params.expires_on(before)
    with pytest.raises(MissingParameter):
        params.notice_days(before)
