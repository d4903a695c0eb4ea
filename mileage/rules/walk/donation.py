"""WALK-4: step donation (걸음 기부): what a sponsor pays the beneficiary for donated steps."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from mileage.rules.params import Parameters
from mileage.rules.walk.days import steps_km


def donation_won(km: Fraction, params: Parameters, on: date) -> int:
    """WALK-4: 100 won per km donated (Bigwalk's rate), truncated to whole won.

    [interp] WALK-4: fractions of a won are dropped; the sponsor's budget cap is the ledger's.
    """
    rate = int(params.at("walk.donation_won_per_km", on))
    return math.floor(km * rate)


def donation_won_for_steps(steps: int, stride_m: Fraction, params: Parameters, on: date) -> int:
    """WALK-2 + WALK-4: won for donated steps at a stride."""
    return donation_won(steps_km(steps, stride_m), params, on)
