"""ECO-12 payment calendar and ECO-15 / E-10 season choice."""

from __future__ import annotations

from datetime import date

import pytest

from mileage.rules import default_parameters, payment_on
from mileage.rules.eco.seasonal import season_days, season_first_year, threshold_km


@pytest.mark.parametrize(
    ("uploaded", "paid"),
    [
        (date(2024, 1, 1), date(2024, 3, 20)),
        (date(2024, 2, 29), date(2024, 3, 20)),
        (date(2024, 3, 1), date(2024, 6, 20)),
        (date(2024, 4, 30), date(2024, 6, 20)),
        (date(2024, 5, 1), date(2024, 7, 20)),
        (date(2024, 6, 30), date(2024, 7, 20)),
        (date(2024, 7, 1), date(2024, 9, 20)),
        (date(2024, 8, 31), date(2024, 9, 20)),
        (date(2024, 9, 1), date(2024, 11, 10)),
        (date(2024, 10, 31), date(2024, 11, 10)),
        (date(2024, 11, 1), date(2025, 1, 20)),
        (date(2024, 12, 31), date(2025, 1, 20)),
    ],
)
def test_eco12_payment_calendar(uploaded: date, paid: date) -> None:
    assert payment_on(uploaded) == paid
    assert payment_on(uploaded, default_parameters()) == paid


@pytest.mark.parametrize(
    ("start", "first_year"),
    [
        (date(2023, 11, 28), 2023),
        (date(2023, 7, 1), 2023),
        (date(2024, 6, 30), 2023),
        (date(2024, 1, 3), 2023),
    ],
)
def test_e10_season_chosen_by_the_start_reading(start: date, first_year: int) -> None:
    assert season_first_year(start) == first_year


@pytest.mark.parametrize(("first_year", "days"), [(2022, 121), (2023, 122), (2024, 121)])
def test_eco15_season_has_122_days_when_february_has_29(first_year: int, days: int) -> None:
    first, last, count = season_days(first_year, default_parameters())
    assert (first, last.month, last.day, count) == (date(first_year, 12, 1), 3, 31, days)


@pytest.mark.parametrize(("first_year", "threshold"), [(2022, 1697), (2019, 1764)])
def test_eco16_threshold_from_the_average_in_force_on_1_may(
    first_year: int, threshold: int
) -> None:
    assert threshold_km(default_parameters(), first_year)[0] == threshold
