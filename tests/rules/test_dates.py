"""C-2, C-5, C-6 date arithmetic and the ECO-5 / E-3 annual window."""

from __future__ import annotations

from datetime import date

import pytest

from mileage.rules import (
    add_months,
    add_years,
    annual_window,
    days_between,
    default_parameters,
    in_window,
    month_day,
    one_year_after,
    window_last_day,
)


def test_c2_days_between_is_whole_calendar_days() -> None:
    assert days_between(date(2023, 3, 12), date(2024, 3, 15)) == 369
    assert days_between(date(2024, 3, 15), date(2023, 3, 12)) == -369


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # E-3
        (date(2024, 2, 29), 4, date(2028, 2, 29)),  # E-3
        (date(2023, 3, 12), 1, date(2024, 3, 12)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),
    ],
)
def test_c5_years_after_feb29_maps_to_feb28(start: date, years: int, expected: date) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2022, 3, 2), 9, date(2022, 12, 2)),
        (date(2022, 5, 31), 9, date(2023, 2, 28)),
        (date(2023, 5, 31), 9, date(2024, 2, 29)),
        (date(2014, 8, 31), 7, date(2015, 3, 31)),
        (date(2014, 10, 31), 6, date(2015, 4, 30)),
        (date(2022, 11, 30), 3, date(2023, 2, 28)),
    ],
)
def test_c5_months_after_clamps_to_the_months_last_day(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_c5_one_year_after() -> None:
    assert one_year_after(date(2020, 2, 29)) == date(2021, 2, 28)


def test_c6_window_of_30_days_counts_its_first_day() -> None:
    first = date(2024, 3, 12)
    assert window_last_day(first, 30) == date(2024, 4, 10)
    assert in_window(date(2024, 4, 10), first, 30)
    assert not in_window(date(2024, 4, 11), first, 30)
    assert not in_window(date(2024, 3, 11), first, 30)


@pytest.mark.parametrize(
    ("cycle", "opens", "closes"),
    [
        (1, date(2025, 2, 28), date(2025, 3, 29)),
        (4, date(2028, 2, 29), date(2028, 3, 29)),
    ],
)
def test_eco5_e3_annual_window_counted_from_the_initial_upload(
    cycle: int, opens: date, closes: date
) -> None:
    assert annual_window(date(2024, 2, 29), cycle, default_parameters()) == (opens, closes)


def test_month_day_parameter_in_a_common_year() -> None:
    assert month_day(2023, "02-29") == date(2023, 2, 28)
    assert month_day(2024, "02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("months", [0, 1, 6, 9, 12, 13, 48, 121])
def test_c5_batch_day_number_add_months_equals_the_date_one(months: int) -> None:
    """The batch path's add_months (day numbers, `batch/calendar.py`, used by the kernel) and
    `dates.add_months` are the same C-5 rule: equal on every day of 1996..2030."""
    import numpy as np

    from mileage.rules.batch import calendar

    first = date(1996, 1, 1)
    days = np.arange(calendar.day_number(first), calendar.day_number(date(2030, 12, 31)) + 1)
    got = calendar.add_months(days, months)
    expected = [calendar.day_number(add_months(calendar.from_day_number(d), months)) for d in days]
    assert got.tolist() == expected
