"""LEDGER-2 parameters, read through the rules engine's dated parameters (STYLE.md §2).

`common/mileage_expiry_years.yaml` (5 years) and `common/mileage_expiry_notice_days.yaml`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mileage.core.parameters import current_parameters
from mileage.rules.dates import add_years


def expiry_years(awarded_on: dt.date) -> int:
    """LEDGER-2: years mileage awarded on `awarded_on` stays usable (5 since Dec 2022)."""
    return int(current_parameters().at("common.mileage_expiry_years", awarded_on))


def expires_on(awarded_on: dt.date) -> dt.date:
    """LEDGER-2 + C-5: the day a lot expires, `expiry_years` after the award (Feb 29 → Feb 28).

    [interp] LEDGER-2: mileage is spendable up to the day before; on `expires_on` it is gone.
    """
    return add_years(awarded_on, expiry_years(awarded_on))


def notice_days(on: dt.date) -> int:
    """LEDGER-2: how many days before expiry members are reminded."""
    return int(current_parameters().at("common.mileage_expiry_notice_days", on))


@dataclass(frozen=True)
class UseLimits:
    """WALK-6 / LEDGER-1: how much of one kind of use a request may take, and its cancel rule."""

    minimum: int
    step: int
    cancel_days: int

    def cancel_rule(self) -> str:
        """The cancel rule in the words citizens read on the confirmation and the receipt."""
        if self.cancel_days <= 0:
            return "확정된 뒤에는 취소할 수 없습니다."
        return f"확정된 날부터 {self.cancel_days:,}일 안에 취소할 수 있습니다."


def use_limits(kind: str, on: dt.date) -> UseLimits:
    """WALK-6: minimum, unit and cancel days of a kind of use on a day (`uses.<kind>.*`)."""
    params = current_parameters()
    name = "uses." + kind.replace("-", "_")
    return UseLimits(
        minimum=int(params.at(f"{name}.minimum", on)),
        step=int(params.at(f"{name}.step", on)),
        cancel_days=int(params.at(f"{name}.cancel_days", on)),
    )
