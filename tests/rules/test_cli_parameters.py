"""RULES-CLI `--parameters FILE` (issue #14): a what-if checked by hand. The file maps dotted
names to entries shaped like the parameter file's `values:`; an entry replaces the value at the
same date or year or adds one; an unknown name, a wrong unit or a malformed entry is an error
naming the entry (exit 2)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mileage.rules.cli import run_eval

# ECO-6: registered less than a year before enrolment (2024) → the 2023 Seoul average, which
# the shipped YAML does not have yet (E-4: an input error without it).
CASE = {
    "id": "c1",
    "program": "eco-car",
    "vehicle": {"first_registered": "2023-10-01", "fuel": "gasoline"},
    "readings": [
        {"event": "initial", "km": 3000, "taken": "2024-03-12", "uploaded": "2024-03-12"},
        {"event": "annual", "km": 10000, "taken": "2025-03-15", "uploaded": "2025-03-16"},
    ],
}
ISSUE_EXAMPLE = """\
eco.regular_km_tiers:
  2000-01-01: {"value": [{"from": 0, "mileage": 15000}, {"from": 1500, "mileage": 35000}], "source": "what-if"}
common.seoul_average_annual_km:
  2023: {"value": 9800, "source": "what-if"}
pilot.ev_bonus_pct:
  2014-10-01: {"value": 30, "source": "what-if"}
"""


def _run(tmp_path: Path, overrides: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "what-if.yaml"
    path.write_text(overrides, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run_eval(["--parameters", str(path), *args], io.StringIO(json.dumps(CASE)), out, err)
    return code, out.getvalue(), err.getvalue()


def test_without_the_file_the_missing_average_is_an_input_error(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_eval([], io.StringIO(json.dumps(CASE)), out, err) == 2
    assert "common.seoul_average_annual_km" in err.getvalue()


def test_the_issue_example_adds_a_year_and_replaces_a_table(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, ISSUE_EXAMPLE)
    assert (code, err) == (0, "")
    cycle = json.loads(out)["cycles"][0]
    assert cycle["baseline_km"] == 9800.0  # ECO-6 with the added 2023 average
    assert cycle["status"] == "awarded" and cycle["reasons"][0] == "ECO-9"


def test_replacing_a_tier_table_changes_the_award(tmp_path: Path) -> None:
    base = "common.seoul_average_annual_km:\n  2023: {value: 9800, source: what-if}\n"
    code, out, _ = _run(tmp_path, base)
    assert code == 0 and json.loads(out)["cycles"][0]["mileage"] == 50000  # 29 % → ECO-9 tier 3
    richer = base + (
        "eco.regular_pct_tiers:\n  2000-01-01:\n    value: [{from: 0, mileage: 1000},"
        " {from: 25, mileage: 90000}]\n    source: what-if\n"
    )
    code, out, _ = _run(tmp_path, richer)
    assert code == 0 and json.loads(out)["cycles"][0]["mileage"] == 90000


def test_jsonl_mode_uses_the_file_too(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, ISSUE_EXAMPLE, "--jsonl")
    assert code == 0 and json.loads(out)["cycles"][0]["baseline_km"] == 9800.0


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ("eco.no_such_thing:\n  2020-01-01: {value: 1, source: x}\n", "eco.no_such_thing"),
        (  # wrong unit: the average is a number of km, not a text
            "common.seoul_average_annual_km:\n  2023: {value: '9,800km', source: x}\n",
            "common.seoul_average_annual_km [2023]",
        ),
        (  # a mileage is an integer
            "eco.maintenance_award:\n  2026-01-01: {value: 12000.5, source: x}\n",
            "eco.maintenance_award [2026-01-01]",
        ),
        (  # by-year parameter given a date
            "common.seoul_average_annual_km:\n  2023-01-01: {value: 9800, source: x}\n",
            "common.seoul_average_annual_km",
        ),
        ("pilot.ev_bonus_pct:\n  2014-10-01: 30\n", "pilot.ev_bonus_pct [2014-10-01]"),
        ("pilot.ev_bonus_pct:\n  2014-10-01: {value: 30}\n", "pilot.ev_bonus_pct [2014-10-01]"),
        (  # a table row without its fields
            "eco.regular_km_tiers:\n  2000-01-01: {value: [{from: 0}], source: x}\n",
            "eco.regular_km_tiers [2000-01-01]",
        ),
        (  # a single value where the file has a table
            "eco.regular_km_tiers:\n  2000-01-01: {value: 15000, source: x}\n",
            "eco.regular_km_tiers [2000-01-01]",
        ),
        ("common.seoul_average_annual_km: 9800\n", "common.seoul_average_annual_km"),
        ("- just a list\n", "parameters"),
        ("a: [unclosed\n", "parameters"),
    ],
)
def test_bad_files_are_an_error_naming_the_entry(
    tmp_path: Path, overrides: str, named: str
) -> None:
    code, out, err = _run(tmp_path, overrides)
    assert code == 2 and out == ""
    assert err.startswith("error: parameters") and named in err.splitlines()[0]
    assert "Traceback" not in err


def test_missing_parameters_file(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    missing = str(tmp_path / "nope.yaml")
    assert run_eval(["--parameters", missing], io.StringIO("{}"), out, err) == 2
    assert err.getvalue().startswith("error: --parameters:")
    assert run_eval(["--parameters"], io.StringIO("{}"), out, err) == 2
