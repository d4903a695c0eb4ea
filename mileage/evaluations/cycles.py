"""ECO-5..13: turn approved reading histories into cycle rows and evaluate them with the rules
engine's batch path (`mileage.rules.batch.evaluate_eco_car`), cycle 1 first, then 2, ... so each
later cycle gets its ECO-7 baseline from the previous cycle's outcome.

The rows are plain numpy columns; no ORM object is made per cycle here.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from mileage.rules.batch import INPUT_COLUMNS, evaluate_eco_car, reasons_list
from mileage.rules.errors import InvalidCase, MissingParameter

log = logging.getLogger(__name__)
CLOSING = ("annual", "end")
_ROW = re.compile(r"^(\d+)행")


@dataclass(frozen=True)
class Participation:
    """What a run needs of one participation (a `readings.queries.History`, or a raw row)."""

    vehicle_id: int
    owner_id: int
    district_code: str
    plate: str
    first_registered_on: dt.date
    readings: list[tuple[str, int, dt.date, dt.date]]  # (event, km, effective_on, uploaded_on)
    voided_cycles: frozenset[int] = frozenset()


@dataclass
class Columns:
    """Cycle rows for the batch engine plus who they belong to."""

    meta: list[tuple[int, int, str, str, int]] = field(
        default_factory=list
    )  # vid, owner, district, plate, k
    cols: dict[str, list] = field(default_factory=dict)
    in_window: list[bool] = field(default_factory=list)

    def add(self, meta: tuple[int, int, str, str, int], values: dict, in_window: bool) -> None:
        self.meta.append(meta)
        self.in_window.append(in_window)
        for name, value in values.items():
            self.cols.setdefault(name, []).append(value)


def from_history(history: object) -> Participation:
    """A readings.queries.History as a Participation (ECO-14 voids come along)."""
    return Participation(
        vehicle_id=history.vehicle_id,
        owner_id=history.owner_id,
        district_code=history.district_code,
        plate=history.plate,
        first_registered_on=history.first_registered_on,
        readings=[(r.event, r.km, r.effective_on, r.uploaded_on) for r in history.readings],
        voided_cycles=frozenset(c.number for c in history.cycles if c.voided),
    )


def cycle_rows(
    participations: Iterable[Participation], window_from: dt.date, window_to: dt.date
) -> Columns:
    """Every cycle up to the last one whose closing reading was uploaded in the window."""
    out = Columns()
    for p in participations:
        rows = list(_cycles(p))
        last = max(
            (i for i, r in enumerate(rows) if window_from <= r[1]["end_uploaded"] <= window_to),
            default=None,
        )
        if last is None:
            continue
        for k, values in rows[: last + 1]:
            meta = (p.vehicle_id, p.owner_id, p.district_code, p.plate, k)
            out.add(meta, values, window_from <= values["end_uploaded"] <= window_to)
    return out


def _cycles(p: Participation) -> Iterable[tuple[int, dict]]:
    """ECO-5/8/11/13 + E-3/E-7: one row per closing reading, legs of a vehicle change added."""
    if not p.readings or p.readings[0][0] != "initial":
        return
    _, start_km, start_on, initial_uploaded = p.readings[0]
    k, changed_before, out_km, in_km = 0, False, -1, -1
    for event, km, effective_on, uploaded_on in p.readings[1:]:
        if event == "change-out":
            out_km = km
        elif event == "change-in":
            in_km = km
        elif event in CLOSING:
            k += 1
            yield (
                k,
                {
                    "first_registered": p.first_registered_on,
                    "start_date": start_on,
                    "start_km": start_km,
                    "end_date": effective_on,
                    "end_km": km,
                    "end_uploaded": uploaded_on,
                    "early_end": event == "end",
                    "void": k in p.voided_cycles,
                    "initial_uploaded": initial_uploaded,
                    "cycle": k,
                    "change_out_km": out_km,  # ECO-13: the kernel adds both legs (-1: none)
                    "change_in_km": in_km,
                    "changed_before": changed_before,  # E-6
                },
            )
            changed_before = changed_before or out_km >= 0
            start_on, start_km, out_km, in_km = effective_on, km, -1, -1
            if event == "end":
                return


@dataclass
class Outcomes:
    """Batch outputs for the rows in the run's window (in `Columns` order)."""

    rows: list[dict]
    errors: list[tuple[int, str]]  # (vehicle_id, problem) of participations the engine refused


def evaluate(columns: Columns) -> Outcomes:
    """Evaluate cycle 1 of every participation, then cycle 2 with its ECO-7 baseline, ..."""
    n = len(columns.meta)
    if n == 0:
        return Outcomes([], [])
    k = np.array([m[4] for m in columns.meta], dtype=np.int64)
    vid = np.array([m[0] for m in columns.meta], dtype=np.int64)
    base = {name: np.array(values) for name, values in columns.cols.items()}
    results: list[dict | None] = [None] * n
    next_baseline: dict[int, tuple[int, int]] = {}
    first_baseline: dict[int, tuple[int, int]] = {}
    refused: dict[int, str] = {}
    for cycle in range(1, int(k.max()) + 1):
        idx = np.flatnonzero(k == cycle)
        idx = np.array(
            [i for i in idx if vid[i] not in refused and (cycle == 1 or vid[i] in next_baseline)],
            dtype=np.int64,
        )
        while len(idx):
            try:
                out = _run(base, idx, vid, cycle, next_baseline, first_baseline)
                break
            except (InvalidCase, MissingParameter) as error:
                bad = _bad_row(error, idx)
                refused[int(vid[bad])] = str(error)
                log.warning("evaluation refused vehicle %s: %s", vid[bad], error)
                idx = idx[idx != bad]
        else:
            continue
        for j, i in enumerate(idx):
            v = int(vid[i])
            nb = (int(out["next_baseline_km_num"][j]), int(out["next_baseline_km_den"][j]))
            next_baseline[v] = nb
            if cycle == 1:
                first_baseline[v] = (int(out["baseline_km_num"][j]), int(out["baseline_km_den"][j]))
            results[i] = {name: out[name][j] for name in OUT}
    rows = []
    for i in range(n):
        if columns.in_window[i] and results[i] is not None and int(vid[i]) not in refused:
            rows.append(_row(columns, i, results[i]))
    return Outcomes(rows, sorted(refused.items()))


OUT = (
    "days",
    "baseline_km",
    "driven_km",
    "reduction_km",
    "reduction_pct",
    "status",
    "kind",
    "mileage",
    "payment_on",
    "reasons",
)


def _run(base, idx, vid, cycle, next_baseline, first_baseline) -> dict:
    table = {}
    for name, values in base.items():
        if name in INPUT_COLUMNS:
            values = values[idx]
            table[name] = (
                values.astype("datetime64[D]") if isinstance(values[0], dt.date) else values
            )
    if cycle > 1:  # ECO-7: the previous cycle's outcome gives this one's baseline
        nb = np.array([next_baseline[int(v)] for v in vid[idx]], dtype=np.int64)
        fb = np.array([first_baseline[int(v)] for v in vid[idx]], dtype=np.int64)
        table["baseline_km_num"], table["baseline_km_den"] = nb[:, 0], nb[:, 1]
        table["first_baseline_km_num"], table["first_baseline_km_den"] = fb[:, 0], fb[:, 1]
    return evaluate_eco_car(table)


def _bad_row(error: Exception, idx: np.ndarray) -> int:
    match = _ROW.match(getattr(error, "problem", "") or str(error).split(": ", 1)[-1])
    return int(idx[int(match.group(1))]) if match else int(idx[0])


def _row(columns: Columns, i: int, out: dict) -> dict:
    vehicle_id, owner_id, district, plate, k = columns.meta[i]
    pay = out["payment_on"]
    return {
        "vehicle_id": vehicle_id,
        "owner_id": owner_id,
        "district_code": district,
        "plate": plate,
        "cycle": k,
        "start_on": columns.cols["start_date"][i],
        "end_on": columns.cols["end_date"][i],
        "days": int(out["days"]),
        "baseline_km": _num(out["baseline_km"]),
        "driven_km": _num(out["driven_km"]),
        "reduction_km": _num(out["reduction_km"]),
        "reduction_pct": _num(out["reduction_pct"]),
        "status": str(out["status"]),
        "kind": str(out["kind"]),
        "mileage": int(out["mileage"]),
        "tier": _tier(
            str(out["kind"]),
            int(out["mileage"]),
            int(out["days"]),
            bool(columns.cols["early_end"][i]),
        ),
        "payment_on": None if np.isnat(pay) else pay.astype(dt.date),
        "reasons": ",".join(reasons_list(int(out["reasons"]))),
        "key": award_key(vehicle_id, k),
    }


TIERS = {"regular": (20000, 30000, 50000, 70000), "maintenance": (10000,)}


def _tier(kind: str, mileage: int, days: int, early_end: bool) -> int:
    """The table award (ECO-9/10) behind a pro-rated early-end award (ECO-11), for the chart."""
    if not early_end or not mileage:
        return mileage
    for award in TIERS.get(kind, ()):
        if award * days // 365 // 10 * 10 == mileage:  # ECO-11: truncated to 10 won
            return award
    return mileage


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def award_key(vehicle_id: int, cycle: int) -> str:
    """LEDGER-1: the idempotency key of a cycle's award — (programme, vehicle, cycle)."""
    return f"eco-car:vehicle:{vehicle_id}:cycle:{cycle}"
