"""Strict input (RULES-CLI): every required field missing or mistyped gives its named error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from mileage.rules import InvalidCase, evaluate

EXAMPLES = Path(__file__).parent / "data" / "rules-examples.jsonl"
FIRST_LINE = {"eco-car": 0, "eco-seasonal": 5, "pilot-2014": 6, "walk": 8}  # ex1, ex6, ex7, w1


def _base(program: str) -> dict[str, Any]:
    line = EXAMPLES.read_text("utf-8").splitlines()[FIRST_LINE[program]]
    case = json.loads(line)["case"]
    assert case["program"] == program
    return case


def _walk(obj: Any, path: list[Any]) -> Any:
    for key in path:
        obj = obj[key]
    return obj


MISSING = [
    ("eco-car", ["program"], "program"),
    ("eco-car", ["vehicle"], "vehicle"),
    ("eco-car", ["vehicle", "first_registered"], "vehicle.first_registered"),
    ("eco-car", ["readings"], "readings"),
    ("eco-car", ["readings", 0, "event"], "readings[0].event"),
    ("eco-car", ["readings", 0, "km"], "readings[0].km"),
    ("eco-car", ["readings", 1, "event"], "readings[1].event"),
    ("eco-car", ["readings", 1, "km"], "readings[1].km"),
    ("eco-car", ["readings", 0, "uploaded"], "readings[0].uploaded"),
    ("eco-seasonal", ["readings", 1, "km"], "readings[1].km"),
    ("eco-seasonal", ["readings", 0, "event"], "readings[0].event"),
    ("pilot-2014", ["insurance_contract"], "insurance_contract"),
    ("pilot-2014", ["bank_account"], "bank_account"),
    ("pilot-2014", ["vehicle", "fuel"], "vehicle.fuel"),
    ("pilot-2014", ["vehicle", "first_registered"], "vehicle.first_registered"),
    ("pilot-2014", ["readings", 1, "uploaded"], "readings[1].uploaded"),
    ("walk", ["days"], "days"),
    ("walk", ["days", 0, "date"], "days[0].date"),
    ("walk", ["days", 0, "source"], "days[0].source"),
    ("walk", ["days", 0, "steps"], "days[0].steps"),
]


@pytest.mark.parametrize(
    ("program", "path", "field"), MISSING, ids=[m[2] + "@" + m[0] for m in MISSING]
)
def test_a_missing_required_field_is_named(program: str, path: list[Any], field: str) -> None:
    case = copy.deepcopy(_base(program))
    del _walk(case, path[:-1])[path[-1]]
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == field
    assert caught.value.problem


MISTYPED = [
    ("eco-car", ["program"], "bus", "program"),
    ("eco-car", ["vehicle"], "car", "vehicle"),
    ("eco-car", ["vehicle", "first_registered"], "2018/05/02", "vehicle.first_registered"),
    ("eco-car", ["vehicle", "first_registered"], "2018-02-30", "vehicle.first_registered"),
    ("eco-car", ["vehicle", "fuel"], "coal", "vehicle.fuel"),
    ("eco-car", ["readings"], {"event": "initial"}, "readings"),
    ("eco-car", ["readings"], [], "readings"),
    ("eco-car", ["readings", 0], "initial", "readings[0]"),
    ("eco-car", ["readings", 0, "event"], "start", "readings[0].event"),
    ("eco-car", ["readings", 1, "event"], "final", "readings[1].event"),
    ("eco-car", ["readings", 1, "km"], "60000", "readings[1].km"),
    ("eco-car", ["readings", 1, "km"], 60000.5, "readings[1].km"),
    ("eco-car", ["readings", 1, "km"], -1, "readings[1].km"),
    ("eco-car", ["readings", 1, "km"], True, "readings[1].km"),
    ("eco-car", ["readings", 1, "taken"], "15.03.2024", "readings[1].taken"),
    ("eco-car", ["readings", 1, "uploaded"], 20240316, "readings[1].uploaded"),
    ("eco-car", ["ended"], {"reason": "transfer", "on": "2024-03-15"}, "ended"),
    ("eco-seasonal", ["readings", 1, "event"], "season-start", "readings[1].event"),
    ("pilot-2014", ["insurance_contract"], "2014-10-32", "insurance_contract"),
    ("pilot-2014", ["bank_account"], "yes", "bank_account"),
    ("pilot-2014", ["vehicle", "fuel"], "diesel-electric", "vehicle.fuel"),
    ("pilot-2014", ["readings", 1, "event"], "annual", "readings[1].event"),
    ("walk", ["member"], [0.7], "member"),
    ("walk", ["member", "stride_m"], "0.7", "member.stride_m"),
    ("walk", ["member", "stride_m"], 0.29, "member.stride_m"),
    ("walk", ["member", "stride_m"], 1.51, "member.stride_m"),
    ("walk", ["days"], {}, "days"),
    ("walk", ["days", 0, "date"], "2024-5-11", "days[0].date"),
    ("walk", ["days", 0, "source"], "", "days[0].source"),
    ("walk", ["days", 0, "source"], 7, "days[0].source"),
    ("walk", ["days", 0, "steps"], 1.5, "days[0].steps"),
    ("walk", ["days", 0, "steps"], -1, "days[0].steps"),
    ("walk", ["days", 0, "steps"], 100001, "days[0].steps"),
    ("walk", ["days", 0, "steps"], "12000", "days[0].steps"),
]


@pytest.mark.parametrize(
    ("program", "path", "value", "field"),
    MISTYPED,
    ids=[f"{m[3]}={m[2]!r}@{m[0]}" for m in MISTYPED],
)
def test_a_mistyped_field_is_named(program: str, path: list[Any], value: Any, field: str) -> None:
    case = copy.deepcopy(_base(program))
    _walk(case, path[:-1])[path[-1]] = value
    with pytest.raises(InvalidCase) as caught:
        evaluate(case)
    assert caught.value.field == field


def test_a_case_that_is_not_an_object() -> None:
    with pytest.raises(InvalidCase) as caught:
        evaluate([1, 2])
    assert caught.value.field == "case"


@pytest.mark.parametrize("stride", [0.3, 1.5, 1])
def test_walk_stride_bounds_are_inclusive(stride: float) -> None:
    case = copy.deepcopy(_base("walk"))
    case["member"]["stride_m"] = stride
    assert evaluate(case)["total_steps"] == 16321


def test_missing_id_is_echoed_as_null() -> None:
    case = copy.deepcopy(_base("walk"))
    del case["id"]
    assert evaluate(case)["id"] is None


def test_reading_without_taken_key_reads_as_null() -> None:
    case = copy.deepcopy(_base("eco-car"))
    del case["readings"][1]["taken"]
    cycle = evaluate(case)["cycles"][0]
    assert cycle["end"] == "2024-03-16"
