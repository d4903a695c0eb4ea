"""Dated parameters (STYLE.md §2): loading, validation naming the file, lookups, overrides."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from mileage.rules import (
    MissingParameter,
    ParameterFileError,
    default_parameters,
    load_parameters,
    payment_on,
    seoul_average_in_force,
    seoul_average_year_in_force,
)
from mileage.rules.params import PARAMETERS_DIR

GOOD = """\
description: A test quantity
clause: ECO-10
unit: mileage
values:
  2023-05-01: {value: 10000, source: "seed 001"}
"""


def _write(tmp_path: Path, relative: str, text: str) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_parameters_load_and_every_file_names_a_clause() -> None:
    params = default_parameters()
    files = sorted(PARAMETERS_DIR.rglob("*.yaml"))
    assert len(params.names()) == len(files)
    for name in params.names():
        assert params.info(name).clauses


def test_eco6_seoul_average_ships_only_the_two_seed_years() -> None:
    params = default_parameters()
    assert params.years("common.seoul_average_annual_km") == (2012, 2022)
    assert params.by_year("common.seoul_average_annual_km", 2012) == 10585
    assert params.by_year("common.seoul_average_annual_km", 2022) == 10183


def test_e4_a_missing_year_is_an_error_never_the_nearest() -> None:
    with pytest.raises(MissingParameter) as caught:
        default_parameters().by_year("common.seoul_average_annual_km", 2021)
    assert caught.value.name == "common.seoul_average_annual_km" and caught.value.key == 2021
    assert caught.value.line().startswith("common.seoul_average_annual_km: ")


@pytest.mark.parametrize(
    ("on", "year", "km"),
    [
        (date(2013, 1, 1), 2012, 10585),
        (date(2022, 12, 31), 2012, 10585),
        (date(2023, 1, 1), 2022, 10183),
        (date(2030, 6, 1), 2022, 10183),
    ],
)
def test_e5_seoul_average_in_force(on: date, year: int, km: int) -> None:
    params = default_parameters()
    assert seoul_average_year_in_force(params, on) == year
    assert seoul_average_in_force(params, on) == km


def test_e5_no_statistics_before_2013_is_missing() -> None:
    with pytest.raises(MissingParameter):
        seoul_average_in_force(default_parameters(), date(2012, 12, 31))


def test_eco10_dated_value_before_its_first_key_is_missing() -> None:
    params = default_parameters()
    assert params.at("eco.maintenance_award", date(2023, 5, 1)) == 10000
    assert params.in_force("eco.maintenance_award", date(2023, 5, 1))
    assert not params.in_force("eco.maintenance_award", date(2023, 4, 30))
    with pytest.raises(MissingParameter) as caught:
        params.at("eco.maintenance_award", date(2023, 4, 30))
    assert caught.value.key == date(2023, 4, 30)


def test_values_are_exact() -> None:
    params = default_parameters()
    assert params.at("walk.default_stride_m", date(2024, 1, 1)) == Fraction(7, 10)
    assert params.at("eco.seasonal.threshold_factor", date(2024, 1, 1)) == Fraction(1, 6)


def test_overrides_add_a_year_the_city_publishes_without_touching_the_defaults() -> None:
    params = default_parameters()
    layered = params.with_overrides({"common.seoul_average_annual_km": {2023: 10101}})
    assert layered.by_year("common.seoul_average_annual_km", 2023) == 10101
    assert layered.by_year("common.seoul_average_annual_km", 2022) == 10183
    assert seoul_average_in_force(layered, date(2024, 3, 1)) == 10101
    with pytest.raises(MissingParameter):
        params.by_year("common.seoul_average_annual_km", 2023)


def test_overrides_with_source_and_dated_keys() -> None:
    layered = default_parameters().with_overrides(
        {"eco.maintenance_award": {"2026-01-01": {"value": 12000, "source": "시 고시"}}}
    )
    assert layered.at("eco.maintenance_award", date(2025, 12, 31)) == 10000
    assert layered.at("eco.maintenance_award", date(2026, 1, 1)) == 12000


@pytest.mark.parametrize(
    "overrides",
    [
        {"no.such.parameter": {2023: 1}},
        {"common.seoul_average_annual_km": {"2023": 1}},
        {"eco.maintenance_award": {"2026-13-01": 1}},
        {"eco.maintenance_award": {"2026-01-01": "lots"}},
    ],
)
def test_bad_overrides_are_refused(overrides: dict) -> None:
    with pytest.raises(ParameterFileError):
        default_parameters().with_overrides(overrides)


def test_loader_reads_a_good_file(tmp_path: Path) -> None:
    _write(tmp_path, "eco/award.yaml", GOOD)
    params = load_parameters(tmp_path)
    assert params.names() == ["eco.award"]
    assert params.at("eco.award", date(2024, 1, 1)) == 10000


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD.replace("clause: ECO-10\n", ""), "clause"),
        (GOOD.replace("clause: ECO-10", "clause: somewhere"), "clause"),
        (GOOD.replace("unit: mileage", "unit: bananas"), "unit"),
        (GOOD.replace("2023-05-01", "01.05.2023"), "ISO date"),
        (GOOD.replace("2023-05-01", "2023-02-30"), "ISO date"),
        (GOOD.replace(', source: "seed 001"', ""), "source"),
        (GOOD.replace("10000", "1.5"), "integer"),
        (GOOD.replace("values:", "lookup: by-year\nvalues:"), "year"),
        (GOOD.replace("description: A test quantity\n", ""), "description"),
        (GOOD.replace('source: "seed 001"', 'source: "x", interpretation: true'), "note"),
        ("just text", "mapping"),
        (GOOD.replace("unit: mileage", "unit: district-codes"), "district codes"),
        (
            GOOD.replace("unit: mileage", "unit: district-codes").replace("10000", '["1141"]'),
            "district codes",
        ),
    ],
)
def test_loader_errors_name_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, "eco/broken.yaml", text)
    with pytest.raises(ParameterFileError) as caught:
        load_parameters(tmp_path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_eco12_derived_values_are_kept_per_parameters_object_and_never_replace_at() -> None:
    """Payment dates and tier tables are computed once per Parameters object; `at` still gives
    the parameter's own value on the same date, and overrides start with fresh values."""
    params = load_parameters()
    on = date(2024, 3, 5)
    first = payment_on(on, params)
    assert payment_on(on, params) is first  # kept, not recomputed
    assert isinstance(params.at("eco.payment_calendar", on), tuple)  # the table, not the date
    changed = params.with_overrides(
        {
            "eco.payment_calendar": {
                "2024-01-01": {
                    "value": [{"uploads_from": "01-01", "pay_on": "12-31", "next_year": False}],
                    "source": "test",
                }
            }
        }
    )
    assert payment_on(on, changed) == date(2024, 12, 31)
    assert payment_on(on, params) == first == date(2024, 6, 20)


def test_e4_missing_value_is_raised_every_time_never_kept() -> None:
    params = load_parameters()
    for _ in range(2):
        with pytest.raises(MissingParameter):
            params.at("eco.maintenance_award", date(2020, 1, 1))
