"""The programme's numbers and date rules, asked of the rules engine (never duplicated here).

ECO-2 (14-day recommendation), ECO-4 (photo age), ECO-5 (annual window, C-5/C-6), ECO-17
(seasonal windows) come from `mileage.rules`; the review-flag thresholds are this app's own
dated parameters in `mileage/rules/parameters/eco/review_*.yaml`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mileage.core.parameters import current_parameters
from mileage.rules.eco.seasonal import reading_windows, season_first_year
from mileage.rules.params import Parameters


def parameters() -> Parameters:
    """The current parameters (mileage.core.parameters), never a copy of their numbers."""
    return current_parameters()


def value(name: str, on: dt.date) -> Any:
    return parameters().at(name, on)


def photo_max_age_days(on: dt.date) -> int:
    """ECO-4: a photo older than this many days at upload is refused (exactly this is accepted)."""
    return int(value("eco.photo_max_age_days", on))


def initial_recommended_days(on: dt.date) -> int:
    """ECO-2: the initial reading is recommended within this many days of registering."""
    return int(value("eco.initial_reading_recommended_days", on))


def annual_window(initial_uploaded_on: dt.date, cycle_no: int) -> tuple[dt.date, dt.date]:
    """ECO-5: cycle k's window A..A+29, as the rules engine computes it (C-5, C-6, E-3)."""
    from mileage.rules import annual_window as rules_annual_window

    return rules_annual_window(initial_uploaded_on, cycle_no, parameters())


def seasonal_windows(on: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """ECO-17: the season-start window (in the season's first year) and the season-end window
    (in its last year) of the season that `on` belongs to (E-10), as the rules engine says."""
    return reading_windows(season_first_year(on), parameters())


def max_daily_km(on: dt.date) -> int:
    """Review flag: a daily distance above this between two readings is implausible."""
    return int(value("eco.review_max_daily_km", on))


def capture_gap_days(on: dt.date) -> int:
    """Review flag: a capture date more than this many days before the upload is flagged."""
    return int(value("eco.review_capture_gap_days", on))


def near_duplicate_distance(on: dt.date) -> int:
    """Review flag: photos whose perceptual hashes differ in at most this many bits (≤ 3, the
    band index's guarantee)."""
    return min(int(value("eco.review_near_duplicate_bits", on)), 3)


def co2_g_per_km(fuel: str, on: dt.date) -> float:
    """Estimated CO₂ per km of a fuel (dated parameter with its published source)."""
    return float(value(f"eco.co2_{fuel}", on))
