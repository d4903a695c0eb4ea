"""LEDGER-2 parameters, read through the rules engine's dated parameters (STYLE.md §2).

`common/mileage_expiry_years.yaml` (5 years) and `common/mileage_expiry_notice_days.yaml`.
"""

from __future__ import annotations

import datetime as dt

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
