"""The current parameters: the one object every app reads the numbers of the rules from.

Apps never call `mileage.rules.params.default_parameters()` themselves (STYLE.md §2): they ask
`current_parameters()`, which today is the shipped YAML under `mileage/rules/parameters`. When
the city's approved values are stored (a newly published Seoul average, a new deadline), they are
layered here, once, with `Parameters.with_overrides(...)`, and every app sees them at once.
"""

from __future__ import annotations

from mileage.rules.params import Parameters, default_parameters


def current_parameters() -> Parameters:
    """The parameters in force for the platform (the shipped YAML; overrides layer on top)."""
    return default_parameters()
