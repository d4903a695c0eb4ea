"""PILOT-3 deadlines each side of the limit (E-11), with their messages."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.core.parameters import current_parameters
from mileage.pilot import deadlines

# The current parameters include the city's approved changes, read from the database (issue #14).
pytestmark = pytest.mark.django_db

CONTRACT = dt.date(2014, 10, 15)


@pytest.mark.parametrize(
    ("uploaded_on", "on_time"),
    [
        (dt.date(2014, 10, 10), True),  # before the contract is allowed
        (dt.date(2014, 10, 22), True),  # contract + 7 days: the last day
        (dt.date(2014, 10, 23), False),  # contract + 8 days: late
    ],
)
def test_pilot3_initial_within_7_days_after_the_contract(
    uploaded_on: dt.date, on_time: bool
) -> None:
    verdict = deadlines.initial(CONTRACT, uploaded_on)
    assert verdict.on_time is on_time
    assert verdict.due_on == dt.date(2014, 10, 22)
    assert "2014년 10월 22일" in verdict.message
    assert ("무효" in verdict.message) is not on_time


@pytest.mark.parametrize(
    ("uploaded_on", "on_time", "early"),
    [
        (dt.date(2015, 4, 14), True, True),  # before 6 months: early end (E-11)
        (dt.date(2015, 4, 15), True, False),  # 6 months after the contract (C-5)
        (dt.date(2015, 5, 15), True, False),  # contract + 7 months: the last day
        (dt.date(2015, 5, 16), False, False),  # late
    ],
)
def test_pilot3_final_within_a_month_after_six_months(
    uploaded_on: dt.date, on_time: bool, early: bool
) -> None:
    verdict = deadlines.final(CONTRACT, uploaded_on)
    assert (verdict.on_time, verdict.early) == (on_time, early)
    assert verdict.due_on == dt.date(2015, 5, 15) and verdict.opens_on == dt.date(2015, 4, 15)
    if early:
        assert "조기 종료" in verdict.message and "120일" in verdict.message
    if not on_time:
        assert "2015년 5월 15일" in verdict.message and "무효" in verdict.message


def test_pilot3_final_month_end_contract_clamps_to_the_last_day() -> None:
    """C-5: 2014-10-31 + 7 months is 2015-05-31; + 6 months is 2015-04-30."""
    verdict = deadlines.final(dt.date(2014, 10, 31), dt.date(2015, 4, 30))
    assert verdict.opens_on == dt.date(2015, 4, 30) and verdict.due_on == dt.date(2015, 5, 31)


@pytest.mark.parametrize(
    ("uploaded_on", "on_time"),
    [(dt.date(2014, 12, 4), True), (dt.date(2014, 12, 5), False)],
)
def test_pilot3_replacement_within_3_days(uploaded_on: dt.date, on_time: bool) -> None:
    verdict = deadlines.replacement(CONTRACT, dt.date(2014, 12, 1), uploaded_on)
    assert verdict.on_time is on_time and verdict.due_on == dt.date(2014, 12, 4)
    assert "3일" in verdict.message


def test_pilot3_limits_and_their_wording_come_from_the_dated_parameters() -> None:
    """A deadline the city changes (pilot.*_days / *_months) moves the limit and the message."""
    changed = current_parameters().with_overrides(
        {
            "pilot.initial_deadline_days": {"2014-10-01": 10},
            "pilot.replacement_deadline_days": {"2014-10-01": 5},
            "pilot.final_window_months": {"2014-10-01": 2},
        }
    )
    late = deadlines.initial(CONTRACT, dt.date(2014, 10, 26), changed)
    assert late.due_on == dt.date(2014, 10, 25) and "체결 후 10일 이내" in late.message
    change = deadlines.replacement(CONTRACT, dt.date(2014, 12, 1), dt.date(2014, 12, 6), changed)
    assert change.on_time and "5일 이내" in change.message
    verdict = deadlines.final(CONTRACT, dt.date(2015, 6, 16), changed)
    assert verdict.due_on == dt.date(2015, 6, 15) and "2개월 이내" in verdict.message
