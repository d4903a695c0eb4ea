"""ECO-15..17: the May seasonal run (계절관리제 특별포인트) over seasons whose end reading was
uploaded in the run's window.

The rules engine has no columnar kernel for the season (only a few of the participants join it),
so each season case goes through the scalar `mileage.rules.evaluate`; the chunk's histories
come from `readings.queries` and its results are stored set-based. One award per (programme, vehicle, season): key
`eco-seasonal:vehicle:<id>:season:<last year>`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from mileage.readings import queries
from mileage.rules import evaluate
from mileage.rules.errors import RulesError

log = logging.getLogger(__name__)


def evaluate_chunk(run: Any, first_id: int, last_id: int) -> list[dict]:
    ids = queries.season_end_vehicle_ids(first_id, last_id, run.window_from, run.window_to)
    rows: list[dict] = []
    for history in queries.approved_histories(ids) if ids else []:
        for case in history.seasonal_cases():
            end = case["readings"][-1]
            uploaded = dt.date.fromisoformat(end["uploaded"])
            if not run.window_from <= uploaded <= run.window_to:
                continue
            try:
                outcome = evaluate(case)["cycles"][0]
            except RulesError as error:  # a batch's outer loop: log the case, go on
                log.warning("seasonal case %s refused: %s", case["id"], error)
                continue
            season_year = dt.date.fromisoformat(outcome["end"]).year
            rows.append(
                {
                    "vehicle_id": history.vehicle_id,
                    "owner_id": history.owner_id,
                    "district_code": history.district_code,
                    "plate": history.plate,
                    "cycle": season_year,
                    "start_on": dt.date.fromisoformat(outcome["start"]),
                    "end_on": dt.date.fromisoformat(outcome["end"]),
                    "days": outcome["days"],
                    "baseline_km": outcome["baseline_km"],  # ECO-16 threshold
                    "driven_km": outcome["driven_km"],  # distance in the season (ECO-15)
                    "reduction_km": outcome["reduction_km"],
                    "reduction_pct": outcome["reduction_pct"],
                    "status": outcome["status"],
                    "kind": outcome["kind"] or "",
                    "tier": outcome["mileage"],
                    "mileage": outcome["mileage"],
                    "payment_on": dt.date.fromisoformat(outcome["payment_on"])
                    if outcome["payment_on"]
                    else None,
                    "reasons": ",".join(outcome["reasons"]),
                    "key": f"eco-seasonal:vehicle:{history.vehicle_id}:season:{season_year}",
                }
            )
    return rows
