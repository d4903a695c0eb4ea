"""The rules engine (pure Python: no Django, no database, no network, no clock).

Scalar API (docs/CONTRACTS.md): `evaluate(case, params=None) -> dict` in the RULES-CLI shape,
`explain(case)` for the bilingual trace, and small helpers reused by the batch path and by
evaluation runs: tier tables as exact rationals, `payment_on`, C-5/C-6 date helpers and
`seoul_average_in_force` (E-5).
"""

from mileage.rules.arith import annualise, display, round_half_away
from mileage.rules.average import (
    seoul_average_in_force,
    seoul_average_of_year,
    seoul_average_year_in_force,
)
from mileage.rules.dates import (
    add_months,
    add_years,
    days_between,
    in_window,
    month_day,
    one_year_after,
    window_last_day,
)
from mileage.rules.eco.award import (
    maintenance_award,
    prorate,
    regular_award,
    regular_km_tiers,
    regular_pct_tiers,
    tier_mileage,
)
from mileage.rules.eco.cycle import annual_window
from mileage.rules.eco.payment import payment_on
from mileage.rules.engine import evaluate, evaluate_with_trace, explain
from mileage.rules.errors import InvalidCase, MissingParameter, ParameterFileError, RulesError
from mileage.rules.outcome import TraceLine
from mileage.rules.params import Parameters, default_parameters, load_parameters

__all__ = [
    "InvalidCase",
    "MissingParameter",
    "ParameterFileError",
    "Parameters",
    "RulesError",
    "TraceLine",
    "add_months",
    "add_years",
    "annual_window",
    "annualise",
    "days_between",
    "default_parameters",
    "display",
    "evaluate",
    "evaluate_with_trace",
    "explain",
    "in_window",
    "load_parameters",
    "maintenance_award",
    "month_day",
    "one_year_after",
    "payment_on",
    "prorate",
    "regular_award",
    "regular_km_tiers",
    "regular_pct_tiers",
    "round_half_away",
    "seoul_average_in_force",
    "seoul_average_of_year",
    "seoul_average_year_in_force",
    "tier_mileage",
    "window_last_day",
]
