"""What each programme's what-if evaluates: its participations, the parameters the city may
change in it, and one chunk evaluated with two parameter sets (current, proposed).

Eco-car (ECO-5..14) reads a chunk's approved readings once and runs the rules' batch path twice
(`evaluations.eco_car.window_cycles` → `in_window_outcomes`), exactly as a run's chunk does. The
2014 pilot (PILOT-4..8) builds each enrolment's RULES-CLI case once and evaluates it with the
rules' scalar path twice, as its run does, without writing its `Outcome`s."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from mileage.evaluations import eco_car
from mileage.evaluations.programmes import ECO_CAR
from mileage.rules import evaluate
from mileage.rules.errors import InvalidCase, MissingParameter
from mileage.rules.params import Parameters

from .compute import ROW_SCHEMA
from .errors import UnknownProgramme

log = logging.getLogger(__name__)

Chunk = Callable[
    [dt.date, dt.date, int, int, Parameters, Parameters], tuple[pl.DataFrame, pl.DataFrame]
]


@dataclass(frozen=True)
class WhatIfProgramme:
    code: str
    name: str
    parameters: tuple[str, ...]  # the ones the form offers (thresholds, amounts, the average)
    participation_ids: Callable[[dt.date, dt.date], list[int]]
    chunk: Chunk


def eco_rows(outcomes: pl.DataFrame) -> pl.DataFrame:
    if outcomes.height == 0:
        return pl.DataFrame(schema=ROW_SCHEMA)
    return outcomes.select(
        pl.col("vehicle_id").cast(pl.Int64),
        pl.col("district_code").cast(pl.Utf8),
        pl.col("status").cast(pl.Utf8),
        pl.col("kind").cast(pl.Utf8).fill_null(""),
        # the table award behind a pro-rated one, as a run's `Result.tier`
        pl.when(pl.col("mileage") > 0)
        .then(pl.col("table_award"))
        .otherwise(0)
        .cast(pl.Int64)
        .alias("tier"),
        pl.col("mileage").cast(pl.Int64),
    )


def _eco_chunk(
    window_from: dt.date,
    window_to: dt.date,
    first_id: int,
    last_id: int,
    current: Parameters,
    proposed: Parameters,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    cycles = eco_car.window_cycles(window_from, window_to, first_id, last_id)
    if cycles.height == 0:
        empty = pl.DataFrame(schema=ROW_SCHEMA)
        return empty, empty
    return tuple(  # type: ignore[return-value]
        eco_rows(eco_car.in_window_outcomes(cycles, params, window_from, window_to))
        for params in (current, proposed)
    )


def _pilot_ids(window_from: dt.date, window_to: dt.date) -> list[int]:
    from mileage.pilot.services import evaluate as pilot

    return pilot.participation_ids(window_from, window_to)


def _pilot_chunk(
    window_from: dt.date,
    window_to: dt.date,
    first_id: int,
    last_id: int,
    current: Parameters,
    proposed: Parameters,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    from mileage.pilot.services import evaluate as pilot

    sides: tuple[list[dict], list[dict]] = ([], [])
    for enrolment in pilot.enrolments_in(window_from, window_to, first_id, last_id):
        accepted = pilot.accepted_readings(enrolment)
        if not any(r.event == "final" for r in accepted):
            continue  # the final photo is still under review: a run would not take it yet
        case = pilot.pilot_case(enrolment)
        for rows, params in zip(sides, (current, proposed), strict=True):
            try:
                result = evaluate(case, params)
            except (InvalidCase, MissingParameter) as exc:
                log.warning("what-if refused enrolment=%s: %s", enrolment.pk, exc)
                continue
            if not result["cycles"]:
                continue
            cycle = result["cycles"][0]
            void = enrolment.status == "void"  # PILOT-10: voided by an official: nothing
            mileage = 0 if void else int(cycle["mileage"])
            rows.append(
                {
                    "vehicle_id": enrolment.vehicle_id,
                    "district_code": enrolment.vehicle.district.code,
                    "status": "void" if void else cycle["status"],
                    "kind": "pilot",
                    "tier": mileage,
                    "mileage": mileage,
                }
            )
    return tuple(pl.DataFrame(rows, schema=ROW_SCHEMA) for rows in sides)  # type: ignore[return-value]


ECO_CAR_WHATIF = WhatIfProgramme(
    code="eco-car",
    name="에코마일리지 승용차",
    parameters=(
        "eco.regular_km_tiers",
        "eco.regular_pct_tiers",
        "eco.maintenance_award",
        "common.seoul_average_annual_km",
        "eco.early_end_min_months",
        "eco.early_end_truncation_won",
    ),
    participation_ids=ECO_CAR.participation_ids,
    chunk=_eco_chunk,
)
PILOT_WHATIF = WhatIfProgramme(
    code="pilot-2014",
    name="승용차 마일리지 시범사업 (2014)",
    parameters=(
        "pilot.award_tiers",
        "pilot.ev_bonus_pct",
        "pilot.new_car_km",
        "pilot.min_participation_days",
    ),
    participation_ids=_pilot_ids,
    chunk=_pilot_chunk,
)
# What the form calls each parameter it offers (officials may see the clause as 근거).
PARAMETER_LABELS = {
    "eco.regular_km_tiers": "감축 마일리지 등급: 감축 거리(km)별 금액 (ECO-9)",
    "eco.regular_pct_tiers": "감축 마일리지 등급: 감축률(%)별 금액 (ECO-9)",
    "eco.maintenance_award": "유지 마일리지 금액 (ECO-10)",
    "common.seoul_average_annual_km": "서울시 연평균 주행거리, 통계 연도별 (ECO-6, ECO-10)",
    "eco.early_end_min_months": "조기 종료 평가 최소 참여 개월 (ECO-11)",
    "eco.early_end_truncation_won": "조기 종료 마일리지 절사 단위(원) (ECO-11)",
    "pilot.award_tiers": "시범사업 인센티브 등급: 감축률(%)별 금액 (PILOT-7)",
    "pilot.ev_bonus_pct": "전기자동차 추가 지급 비율(%) (PILOT-7)",
    "pilot.new_car_km": "신차의 전년도 주행거리(km) (PILOT-4)",
    "pilot.min_participation_days": "최소 참여 일수 (PILOT-8)",
}
PROGRAMMES = {p.code: p for p in (ECO_CAR_WHATIF, PILOT_WHATIF)}


def get(code: str) -> WhatIfProgramme:
    try:
        return PROGRAMMES[code]
    except KeyError:
        raise UnknownProgramme() from None
