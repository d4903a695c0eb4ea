"""ECO-9 tiers (better of two tables), ECO-11 pro-rating: table-driven boundaries."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from mileage.rules import default_parameters, prorate, regular_award

ON = date(2024, 3, 16)


@pytest.mark.parametrize(
    ("reduction_km", "reduction_pct", "mileage"),
    [
        (Fraction(0), Fraction(0), 20000),  # [interp] ECO-9: exactly 0 is the first tier
        (Fraction(500), Fraction(999, 100), 20000),  # 9.99% and 500 km
        (Fraction(500), Fraction(10), 30000),  # exactly 10%
        (Fraction(999), Fraction(5), 20000),
        (Fraction(1000), Fraction(5), 30000),  # exactly 1,000 km
        (Fraction(1200), Fraction(8), 30000),  # 8% but 1,200 km: the better table
        (Fraction(1999), Fraction(19), 30000),
        (Fraction(100), Fraction(20), 50000),
        (Fraction(2000), Fraction(1), 50000),
        (Fraction(2999), Fraction(2999, 100), 50000),
        (Fraction(3000), Fraction(1), 70000),
        (Fraction(10), Fraction(30), 70000),
        (Fraction(5000), Fraction(80), 70000),
    ],
)
def test_eco9_regular_award_is_the_better_of_the_two_tables(
    reduction_km: Fraction, reduction_pct: Fraction, mileage: int
) -> None:
    assert regular_award(reduction_km, reduction_pct, default_parameters(), ON).mileage == mileage


def test_eco9_exact_arithmetic_just_under_ten_percent_stays_in_the_first_tier() -> None:
    """C-4: 999.999… / 10,000 is below 10% even where a float would round it up."""
    pct = Fraction(10) - Fraction(1, 10**17)
    assert float(pct) == 10.0
    assert regular_award(Fraction(999), pct, default_parameters(), ON).mileage == 20000


def test_e6_baseline_zero_leaves_the_km_table_alone() -> None:
    assert regular_award(Fraction(0), None, default_parameters(), ON).mileage == 20000
    assert regular_award(Fraction(2500), None, default_parameters(), ON).mileage == 50000


@pytest.mark.parametrize(
    ("award", "days", "mileage"),
    [
        (70000, 300, 57530),  # seed 001 line 48
        (70000, 364, 69800),
        (20000, 273, 14950),
        (10000, 300, 8210),  # E-9: maintenance pro-rated too
    ],
)
def test_eco11_prorated_award_truncated_to_10_won(award: int, days: int, mileage: int) -> None:
    assert prorate(award, days, default_parameters(), ON) == mileage


@pytest.mark.parametrize(
    ("seats", "body", "commercial", "seoul", "eligible"),
    [
        (12, "van", False, True, True),
        (13, "van", False, True, False),
        (5, "passenger", True, True, False),
        (5, "passenger", False, False, False),
        (3, "truck", False, True, False),
    ],
)
def test_eco1_eligible_vehicle(
    seats: int, body: str, commercial: bool, seoul: bool, eligible: bool
) -> None:
    from mileage.rules.eco.eligibility import eco_vehicle_eligible

    got = eco_vehicle_eligible(
        seats=seats,
        body_type=body,
        commercial=commercial,
        registered_in_seoul=seoul,
        params=default_parameters(),
        on=ON,
    )
    assert got is eligible


@pytest.mark.parametrize(
    ("person", "failure"), [("owner", None), ("co", "co-owner"), ("someone", "not-owner")]
)
def test_eco1_only_the_representative_owner_enrols(person: str, failure: str | None) -> None:
    from mileage.rules.eco.eligibility import eco_enrolling_person_failure

    assert eco_enrolling_person_failure(person, "owner", ("co",)) == failure


def test_eco1_reports_every_failed_condition_in_order() -> None:
    from mileage.rules.eco.eligibility import eco_vehicle_failures

    got = eco_vehicle_failures(
        seats=13,
        body_type="truck",
        commercial=True,
        registered_in_seoul=False,
        params=default_parameters(),
        on=ON,
    )
    assert got == ["not-in-seoul", "body-type", "too-many-seats", "commercial"]


@pytest.mark.parametrize(
    ("district", "on", "office_only"),
    [("11410", ON, True), ("11440", ON, False), ("11410", date(2030, 1, 1), True)],
)
def test_eco2_walk_in_at_the_district_office_only_in_seodaemun(
    district: str, on: date, office_only: bool
) -> None:
    from mileage.rules.eco.eligibility import walk_in_district_office_only

    assert walk_in_district_office_only(district, default_parameters(), on) is office_only


@pytest.mark.parametrize(
    ("uploaded", "late"), [(date(2024, 1, 15), False), (date(2024, 1, 16), True)]
)
def test_eco2_initial_reading_recommended_within_14_days(uploaded: date, late: bool) -> None:
    from mileage.rules.eco.eligibility import initial_reading_late

    assert initial_reading_late(date(2024, 1, 1), uploaded, default_parameters()) is late


@pytest.mark.parametrize(
    ("taken", "too_old"), [(date(2023, 9, 16), False), (date(2023, 9, 15), True)]
)
def test_eco4_photo_age_183_accepted_184_refused(taken: date, too_old: bool) -> None:
    from mileage.rules.eco.eligibility import photo_too_old

    assert photo_too_old(taken, date(2024, 3, 17), default_parameters()) is too_old
