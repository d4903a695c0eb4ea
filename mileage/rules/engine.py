"""The scalar entry point: one case (RULES-CLI JSON shape) → one result dict, plus its trace."""

from __future__ import annotations

from typing import Any

from mileage.rules.case import parse_program
from mileage.rules.eco.car import evaluate_eco_car
from mileage.rules.eco.seasonal import evaluate_season
from mileage.rules.outcome import TraceLine, Trail
from mileage.rules.params import Parameters, default_parameters
from mileage.rules.pilot.evaluate import evaluate_pilot
from mileage.rules.walk.days import evaluate_walk


def evaluate_with_trace(
    case: Any, params: Parameters | None = None
) -> tuple[dict[str, Any], list[TraceLine]]:
    """Evaluate one case; return the RULES-CLI result and the bilingual explanation.

    Raises `InvalidCase(field, problem)` for malformed input and `MissingParameter(name, key)`
    when a value the case needs has not been entered (E-4).
    """
    trail = Trail()
    result = _evaluate(case, params, trail)
    return result, trail.lines


def _evaluate(case: Any, params: Parameters | None, trail: Trail) -> dict[str, Any]:
    params = params or default_parameters()
    obj, program = parse_program(case)
    result: dict[str, Any] = {"id": obj.get("id"), "program": program}
    if program == "eco-car":
        result["cycles"] = [c.as_dict() for c in evaluate_eco_car(obj, params, trail)]
    elif program == "eco-seasonal":
        result["cycles"] = [c.as_dict() for c in evaluate_season(obj, params, trail)]
    elif program == "pilot-2014":
        result["cycles"] = [c.as_dict() for c in evaluate_pilot(obj, params, trail)]
    else:
        result.update(evaluate_walk(obj, params, trail))
    return result


def evaluate(case: Any, params: Parameters | None = None) -> dict[str, Any]:
    """One case → its result, exactly the RULES-CLI shape (`cycles`, or `days` for walk).

    No explanation is recorded here (the trace is only built for `explain` / `--explain`)."""
    return _evaluate(case, params, Trail(record=False))


def explain(case: Any, params: Parameters | None = None) -> list[TraceLine]:
    """The explanation trace of one case: Korean and English lines naming their clauses."""
    return evaluate_with_trace(case, params)[1]
