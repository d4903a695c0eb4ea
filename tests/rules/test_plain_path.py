"""The eco-car fast lane (`eco/plain.py`) against the careful path (`eco/car.py`): the same
result dict for every plain case, and for anything else the careful path's exact error.

Cases: seeded synthetic first cycles (ECO-5..ECO-13 branches), random multi-cycle histories
(ECO-7 baselines, E-2 annual readings without dates, ECO-13 changes, ECO-11 ends, late uploads),
the repository's scenario files, a parameter override, and broken variants of all of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from mileage.rules import RulesError, add_years, default_parameters, evaluate
from mileage.rules.batch.synthetic import as_cases, eco_car_cycles
from mileage.rules.eco.plain import evaluate_plain
from mileage.rules.engine import _evaluate
from mileage.rules.outcome import Trail
from mileage.rules.params import Parameters

CASES_DIR = Path(__file__).parent / "cases"
JUNK: list[Any] = [None, True, 0, -1, 1.5, "", "x", "2023-02-30", "2023-2-3", "2023-01-01",
                   [], {}, 10**20, "annual", "initial", "end", "change-in"]  # fmt: skip


def careful(case: Any, params: Parameters) -> Any:
    """The careful path's answer: the result, or the error's class and text."""
    try:
        return _evaluate(case, params, Trail(record=False))
    except RulesError as error:
        return type(error).__name__, str(error)


def fast(case: Any, params: Parameters) -> Any:
    """`evaluate`'s answer (plain lane first), in the same shape as `careful`."""
    try:
        return evaluate(case, params)
    except RulesError as error:
        return type(error).__name__, str(error)


def _iso(day: dt.date) -> str:
    return day.isoformat()


def multi_cycle_case(rng: random.Random, number: int) -> dict[str, Any]:
    """A random eco-car history: 1..5 cycles, sometimes late (ECO-14), an early end (ECO-11),
    vehicle changes (ECO-13), annual readings without a capture date or without dates (E-2)."""
    registered = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 5000))
    start = registered + dt.timedelta(
        days=rng.choice([rng.randint(0, 364), rng.randint(365, 4000)])
    )
    start = min(start, dt.date(2024, 6, 1))
    start = max(start, dt.date(2013, 1, 1))  # E-4: Seoul averages exist from 2012
    registered = min(registered, start)
    initial_uploaded = start + dt.timedelta(days=rng.randint(0, 5))
    km = rng.randint(0, 150_000)
    habit = rng.randint(2_000, 30_000)
    readings = [
        {"event": "initial", "km": km, "taken": _iso(start), "uploaded": _iso(initial_uploaded)}
    ]
    previous = start
    case: dict[str, Any] = {"id": number, "program": "eco-car",
                            "vehicle": {"first_registered": _iso(registered), "fuel": "diesel"}}  # fmt: skip
    cycles = rng.randint(1, 5)
    for k in range(1, cycles + 1):
        if rng.random() < 0.1:  # ECO-13: a vehicle change a few days into the cycle
            on = _iso(previous + dt.timedelta(days=3))
            readings.append(
                {
                    "event": "change-out",
                    "km": km + rng.randint(0, 3000),
                    "taken": on,
                    "uploaded": on,
                }
            )
            km = rng.randint(0, 80)
            readings.append({"event": "change-in", "km": km, "taken": on, "uploaded": on})
        if k == cycles and rng.random() < 0.2:  # ECO-11: an early end
            end = previous + dt.timedelta(days=rng.randint(200, 420))
            km += int(habit * rng.uniform(0.3, 1.8) * (end - previous).days / 365)
            readings.append({"event": "end", "km": km, "taken": _iso(end), "uploaded": _iso(end)})
            case["ended"] = {"reason": "transfer", "on": _iso(end)}
            break
        opens = add_years(initial_uploaded, k)
        uploaded = opens + dt.timedelta(
            days=rng.choice([rng.randint(0, 29)] * 9 + [rng.randint(30, 60)])
        )
        taken = max(
            uploaded - dt.timedelta(days=rng.randint(0, 6)), previous + dt.timedelta(days=5)
        )
        km += int(habit * rng.uniform(0.3, 1.8) * (taken - previous).days / 365)
        reading: dict[str, Any] = {
            "event": "annual",
            "km": km,
            "taken": _iso(taken),
            "uploaded": _iso(uploaded),
        }
        draw = rng.random()
        if draw < 0.05:  # E-2: neither date, A+29 stands in
            reading["taken"] = reading["uploaded"] = None
            taken = opens + dt.timedelta(days=29)
        elif draw < 0.1:
            del reading["taken"]
            taken = uploaded
        readings.append(reading)
        previous = taken
    case["readings"] = readings
    return case


def broken(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """The case with one or two values deleted, nulled or replaced by junk of another type."""
    case = copy.deepcopy(case)
    slots: list[tuple[Any, Any]] = []

    def collect(node: Any) -> None:
        keys = (
            list(node)
            if isinstance(node, dict)
            else range(len(node))
            if isinstance(node, list)
            else []
        )
        for key in keys:
            slots.append((node, key))
            collect(node[key])

    collect(case)
    for _ in range(rng.randint(1, 2)):
        node, key = rng.choice(slots)
        try:
            if rng.random() < 0.3:
                del node[key]
            else:
                node[key] = rng.choice(JUNK)
        except (KeyError, IndexError):
            pass
    return case


def scenario_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        cases += [doc["case"] for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]
    return cases


def test_eco5_to_eco14_plain_lane_takes_the_well_formed_cases() -> None:
    """The lane is really used (else the comparisons below would test the careful path twice),
    and declines an E-2 annual reading without dates."""
    params = default_parameters()
    cases = as_cases(eco_car_cycles(500, seed=5))
    assert all(evaluate_plain(case, params) is not None for case in cases)
    case = copy.deepcopy(cases[0])
    case["readings"][-1].update(taken=None, uploaded=None)
    assert evaluate_plain(case, params) is None


@pytest.mark.parametrize("seed", [1, 2])
def test_eco5_to_eco13_plain_lane_equals_careful_path_on_synthetic_cycles(seed: int) -> None:
    params = default_parameters()
    for case in as_cases(eco_car_cycles(4000, seed=seed, changes=seed == 1)):
        assert fast(case, params) == careful(case, params), case


def test_eco7_eco13_e2_plain_lane_equals_careful_path_on_multi_cycle_histories() -> None:
    rng = random.Random(7)
    params = default_parameters()
    overridden = params.with_overrides(
        {
            "common.seoul_average_annual_km": {2023: 10101},
            "eco.maintenance_award": {"2024-01-01": 12000},
        }
    )
    statuses = set()
    for number in range(3000):
        case = multi_cycle_case(rng, number)
        for chosen in (params, overridden):
            expected = careful(case, chosen)
            assert fast(case, chosen) == expected, case
            if isinstance(expected, dict):
                statuses.update(cycle["status"] for cycle in expected["cycles"])
    assert statuses == {"awarded", "no-award", "void", "not-evaluated"}


def test_e1_malformed_cases_give_the_careful_paths_error_texts() -> None:
    """Broken variants of plain, multi-cycle and scenario cases: the same error, word for word
    (or the same result when the change was harmless)."""
    rng = random.Random(11)
    params = default_parameters()
    plain = as_cases(eco_car_cycles(300, seed=3))
    sources = plain + [multi_cycle_case(rng, n) for n in range(300)] + scenario_cases()
    errors = 0
    for _ in range(6000):
        case = broken(rng, rng.choice(sources))
        expected = careful(case, params)
        assert fast(case, params) == expected, case
        errors += isinstance(expected, tuple)
    assert errors > 3000


def test_eco6_c5_plain_lane_equals_careful_path_a_year_after_registration() -> None:
    """ECO-6 / C-5 / E-3: initial readings 363..367 days after registration, Feb 29 included
    (the lane asks the calendar only at 365 and 366 days)."""
    params = default_parameters()
    taken = 0
    # E-4: a car under a year old needs the Seoul average of the year before (2012, 2022 given)
    for registered in (dt.date(2012, 2, 28), dt.date(2012, 2, 29), dt.date(2012, 3, 1),
                       dt.date(2012, 12, 31), dt.date(2022, 2, 28)):  # fmt: skip
        for days in range(363, 368):
            start = registered + dt.timedelta(days=days)
            end = add_years(start, 1)
            case = {
                "program": "eco-car",
                "vehicle": {"first_registered": _iso(registered)},
                "readings": [
                    {"event": "initial", "km": 9_000, "uploaded": _iso(start)},
                    {"event": "annual", "km": 17_000, "uploaded": _iso(end)},
                ],
            }
            taken += evaluate_plain(case, params) is not None
            assert fast(case, params) == careful(case, params), case
    assert taken == 25
