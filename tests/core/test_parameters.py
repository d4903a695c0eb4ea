"""Every app reads the numbers of the rules through `mileage.core.parameters` (issue #10)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from mileage.core.parameters import current_parameters
from mileage.ledger.params import expiry_years
from mileage.readings import policy
from mileage.walking import rates

MILEAGE = Path(__file__).resolve().parents[2] / "mileage"
ALLOWED = ("rules", "core")  # the loader itself, and the one accessor


def _names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    found |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found |= {alias.name for alias in node.names}
    return found


def test_no_app_loads_the_parameters_itself() -> None:
    offenders = [
        str(path.relative_to(MILEAGE))
        for path in MILEAGE.rglob("*.py")
        if path.relative_to(MILEAGE).parts[0] not in ALLOWED
        and {"default_parameters", "load_parameters"} & _names(path)
    ]
    assert offenders == []


@pytest.mark.django_db  # the current parameters include the city's approved changes (issue #14)
def test_apps_read_the_values_of_the_current_parameters() -> None:
    on = dt.date(2024, 3, 1)
    params = current_parameters()
    assert expiry_years(on) == params.at("common.mileage_expiry_years", on)  # LEDGER-2
    assert policy.photo_max_age_days(on) == params.at("eco.photo_max_age_days", on)  # ECO-4
    assert rates.max_daily_steps(on) == params.at("walk.absurd_daily_steps", on)  # WALK-1
