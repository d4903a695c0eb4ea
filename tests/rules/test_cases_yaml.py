"""Whole scenarios as data (STYLE.md §4): tests/rules/cases/<program>/*.yaml, each document with
`name`, `clauses`, `case` (the CLI's JSON shape) and `expect` (the fields that matter, or
`error: "<field>: "` for an input error). One parametrised test runs them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mileage.rules import RulesError, evaluate
from tests.rules.helpers import subset_mismatches

CASES_DIR = Path(__file__).parent / "cases"


def _scenarios() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        for number, doc in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
            label = f"{path.relative_to(CASES_DIR)}#{number} {doc['name']}"
            params.append(pytest.param(doc, id=label))
    return params


SCENARIOS = _scenarios()


def test_every_program_has_scenarios() -> None:
    programs = {p.values[0]["case"]["program"] for p in SCENARIOS}
    assert programs == {"eco-car", "eco-seasonal", "pilot-2014", "walk"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(scenario: dict[str, Any]) -> None:
    assert scenario["clauses"], "a scenario names the clauses it exercises"
    expect = scenario["expect"]
    if "error" in expect:
        with pytest.raises(RulesError) as caught:
            evaluate(scenario["case"])
        assert caught.value.line().startswith(expect["error"]), caught.value.line()
        return
    result = evaluate(scenario["case"])
    problems = subset_mismatches(expect, result)
    assert problems == [], "\n".join(problems)
