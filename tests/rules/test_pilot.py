"""PILOT-3..PILOT-10 boundaries: truncation, EV bonus, 119 vs 120 days, bank account, deadlines."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from mileage.rules import InvalidCase, default_parameters, evaluate
from mileage.rules.pilot.enrolment import (
    contract_in_period,
    enrolment_open,
    pilot_vehicle_eligible,
    pilot_vehicle_failures,
)
from mileage.rules.pilot.rules import pilot_award, reduction_pct
from tests.rules.helpers import only_cycle, pilot_case, reading

ON = date(2014, 10, 20)


@pytest.mark.parametrize(
    ("previous", "this_year", "pct", "mileage"),
    [
        (Fraction(10000), Fraction(9501), 4, 0),  # 4.99% → 4 → nothing
        (Fraction(10000), Fraction(9500), 5, 10000),
        (Fraction(10000), Fraction(9001), 9, 10000),
        (Fraction(10000), Fraction(9000), 10, 15000),
        (Fraction(10000), Fraction(5001), 49, 30000),
        (Fraction(10000), Fraction(5000), 50, 35000),
        (Fraction(10000), Fraction(10001), 0, 0),  # -0.01% truncates toward zero
        (Fraction(10000), Fraction(10200), -2, 0),
    ],
)
def test_pilot6_pilot7_truncated_pct_decides_the_award(
    previous: Fraction, this_year: Fraction, pct: int, mileage: int
) -> None:
    got = reduction_pct(previous, this_year)
    assert got == pct
    assert pilot_award(got, False, default_parameters(), ON) == mileage


@pytest.mark.parametrize(
    ("fuel", "mileage"), [("electric", 42000), ("hybrid", 35000), ("hydrogen", 35000)]
)
def test_pilot7_only_electric_gets_20_percent_more(fuel: str, mileage: int) -> None:
    assert pilot_award(73, fuel == "electric", default_parameters(), ON) == mileage


def _pilot(final_upload: str, *, bank_account: bool = True) -> dict:
    return pilot_case(
        "2010-01-01",
        "2014-10-20",
        reading("initial", 40000, "2014-10-20"),
        reading("final", 41000, "2015-02-10", final_upload),
        bank_account=bank_account,
    )


@pytest.mark.parametrize(
    ("final_upload", "status", "mileage"),
    [("2015-02-16", "no-award", 0), ("2015-02-17", "awarded", 35000)],
)
def test_pilot8_119_days_between_uploads_is_no_award_120_is_paid(
    final_upload: str, status: str, mileage: int
) -> None:
    cycle = only_cycle(_pilot(final_upload))
    assert (cycle["status"], cycle["mileage"]) == (status, mileage)
    if status == "no-award":
        assert cycle["reasons"][0] == "PILOT-8" and cycle["driven_km"] is not None


def test_pilot8_no_bank_account_is_no_award() -> None:
    cycle = only_cycle(_pilot("2015-03-01", bank_account=False))
    assert (cycle["status"], cycle["mileage"], cycle["payment_on"]) == ("no-award", 0, None)
    assert cycle["reasons"][0] == "PILOT-8"


@pytest.mark.parametrize(
    ("initial_upload", "status"), [("2014-10-27", "awarded"), ("2014-10-28", "void")]
)
def test_pilot3_initial_reading_within_7_days_of_the_contract(
    initial_upload: str, status: str
) -> None:
    case = pilot_case(
        "2010-01-01",
        "2014-10-20",
        reading("initial", 40000, "2014-10-20", initial_upload),
        reading("final", 41000, "2015-04-25"),
    )
    cycle = only_cycle(case)
    assert cycle["status"] == status
    if status == "void":
        assert cycle["reasons"] == ["PILOT-3", "PILOT-10"] and cycle["baseline_km"] is None


@pytest.mark.parametrize(
    ("final_upload", "status"), [("2015-05-20", "awarded"), ("2015-05-21", "void")]
)
def test_pilot3_e11_final_reading_late_after_contract_plus_7_months(
    final_upload: str, status: str
) -> None:
    assert only_cycle(_pilot(final_upload))["status"] == status


def test_pilot4_car_one_year_old_on_the_initial_date_is_annualised() -> None:
    case = pilot_case(
        "2013-10-20",
        "2014-10-20",
        reading("initial", 10950, "2014-10-20"),
        reading("final", 11000, "2015-03-01"),
    )
    assert only_cycle(case)["baseline_km"] == 10950.0


def test_pilot_missing_bank_account_field_is_an_input_error() -> None:
    case = _pilot("2015-03-01")
    del case["bank_account"]
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == "bank_account"


@pytest.mark.parametrize(
    ("contract", "inside"),
    [
        (date(2014, 9, 30), False),
        (date(2014, 10, 1), True),
        (date(2015, 3, 31), True),
        (date(2015, 4, 1), False),
    ],
)
def test_pilot1_period(contract: date, inside: bool) -> None:
    assert contract_in_period(contract, default_parameters()) is inside


def test_pilot1_the_50001st_enrolment_is_refused() -> None:
    params = default_parameters()
    assert enrolment_open(49999, params, ON)
    assert not enrolment_open(50000, params, ON)


@pytest.mark.parametrize(
    ("seats", "body", "commercial", "seoul", "failures"),
    [
        (10, "passenger", False, True, []),
        (11, "passenger", False, True, ["too-many-seats"]),
        (5, "passenger", True, True, ["commercial"]),
        (5, "passenger", False, False, ["not-in-seoul"]),
        (9, "van", False, True, ["body-type"]),  # PILOT-2: 승용차 only (ECO-1 takes vans)
        (12, "truck", True, False, ["not-in-seoul", "body-type", "too-many-seats", "commercial"]),
    ],
)
def test_pilot2_eligibility(
    seats: int, body: str, commercial: bool, seoul: bool, failures: list[str]
) -> None:
    given = {
        "seats": seats,
        "body_type": body,
        "commercial": commercial,
        "registered_in_seoul": seoul,
        "params": default_parameters(),
        "on": ON,
    }
    assert pilot_vehicle_failures(**given) == failures
    assert pilot_vehicle_eligible(**given) is (not failures)


def test_pilot2_seat_limit_is_the_dated_parameter() -> None:
    raised = default_parameters().with_overrides({"pilot.max_seats": {"2014-10-01": 11}})
    given = {"seats": 11, "body_type": "passenger", "commercial": False}
    assert pilot_vehicle_failures(**given, registered_in_seoul=True, params=raised, on=ON) == []
