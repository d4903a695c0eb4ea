"""Small builders for rules tests: cases in the RULES-CLI JSON shape."""

from __future__ import annotations

from typing import Any

from mileage.rules import evaluate


def reading(
    event: str, km: int, taken: str | None, uploaded: str | None = "same"
) -> dict[str, Any]:
    """A reading; `uploaded` defaults to the capture date."""
    return {
        "event": event,
        "km": km,
        "taken": taken,
        "uploaded": taken if uploaded == "same" else uploaded,
    }


def eco_case(registered: str, *readings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    case = {
        "id": "t",
        "program": "eco-car",
        "vehicle": {"first_registered": registered, "fuel": "gasoline"},
        "readings": list(readings),
    }
    case.update(extra)
    return case


def pilot_case(
    registered: str,
    contract: str,
    *readings: dict[str, Any],
    fuel: str = "gasoline",
    bank_account: bool = True,
) -> dict[str, Any]:
    return {
        "id": "p",
        "program": "pilot-2014",
        "vehicle": {"first_registered": registered, "fuel": fuel},
        "insurance_contract": contract,
        "bank_account": bank_account,
        "readings": list(readings),
    }


def only_cycle(case: dict[str, Any]) -> dict[str, Any]:
    """The single cycle of a case's result."""
    cycles = evaluate(case)["cycles"]
    assert len(cycles) == 1, cycles
    return cycles[0]


def subset_mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where `actual` differs from `expected`; dicts compare only the expected keys, lists
    compare length and items in order."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems.extend(subset_mismatches(value, actual[key], f"{path}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        problems = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problems.extend(subset_mismatches(want, got, f"{path}[{index}]"))
        return problems
    mixed_bool = isinstance(expected, bool) != isinstance(actual, bool)
    if mixed_bool or expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []
