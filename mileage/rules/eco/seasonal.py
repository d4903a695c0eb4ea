"""ECO-15..ECO-17: seasonal special points (계절관리제 특별포인트), E-10."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from mileage.rules.average import seoul_average_in_force, seoul_average_year_in_force
from mileage.rules.case import Reading, parse_readings, parse_vehicle
from mileage.rules.dates import days_between, month_day
from mileage.rules.errors import InvalidCase
from mileage.rules.outcome import AWARDED, NO_AWARD, CycleOutcome, Trail
from mileage.rules.params import Parameters
from mileage.rules.readings import check_readings, resolve_effective_dates


def season_first_year(start_on: date) -> int:
    """E-10: the season is chosen by the start reading's date: from July on, the season starting
    1 Dec of that year; before July, the one that started the previous December."""
    return start_on.year if start_on.month >= 7 else start_on.year - 1


def season_days(first_year: int, params: Parameters) -> tuple[date, date, int]:
    """ECO-15: the season (Dec 1 to Mar 31) and its days: 121, or 122 when February has 29."""
    opened_on = month_day(first_year, params.latest("eco.seasonal.season")["from"])
    season = params.at("eco.seasonal.season", opened_on)
    first = month_day(first_year, season["from"])
    last = month_day(first_year + 1, season["to"])
    return first, last, days_between(first, last) + 1


def reading_windows(first_year: int, params: Parameters) -> dict[str, tuple[date, date]]:
    """ECO-17: start reading Nov 15–Dec 15 (season's first year), end reading Mar 16–Apr 15
    (its last year), inclusive. [interp] ECO-17: the seed gives no windows."""
    first, _, _ = season_days(first_year, params)
    start = params.at("eco.seasonal.start_window", first)
    end = params.at("eco.seasonal.end_window", first)
    return {
        "season-start": (month_day(first_year, start["from"]), month_day(first_year, start["to"])),
        "season-end": (
            month_day(first_year + 1, end["from"]),
            month_day(first_year + 1, end["to"]),
        ),
    }


def threshold_km(params: Parameters, first_year: int) -> tuple[int, Fraction, int]:
    """ECO-16: threshold = floor(Seoul average in force × 4/12 × 0.5) (10,183 → 1,697 km).

    E-5: the average in force on 1 May of the season's last year. Returns (threshold, the
    average used, its statistics year)."""
    first, _, _ = season_days(first_year, params)
    asked_on = month_day(first_year + 1, params.at("eco.seasonal.average_asked_on", first))
    average = seoul_average_in_force(params, asked_on)
    factor = Fraction(params.at("eco.seasonal.threshold_factor", first))
    return math.floor(average * factor), average, seoul_average_year_in_force(params, asked_on)


def _check_events(readings: Sequence[Reading]) -> None:
    expected = ("season-start", "season-end")
    if len(readings) > 2:
        raise InvalidCase(
            f"readings[{len(readings) - 1}]",
            "시즌 기록은 시작과 종료 두 개뿐입니다 (a season has one start and one end reading)",
        )
    for reading, event in zip(readings, expected, strict=False):
        if reading.event != event:
            raise InvalidCase(f"{reading.path}.event", f"{event}이어야 합니다 (must be {event})")


def evaluate_season(
    case: Mapping[str, Any], params: Parameters, trail: Trail
) -> list[CycleOutcome]:
    """ECO-15..ECO-17: the season's outcome (one cycle), or none before the end reading."""
    parse_vehicle(case, registered=False, fuel=False)
    readings = parse_readings(case, "eco-seasonal")
    _check_events(readings)
    resolve_effective_dates(readings, program="eco-seasonal")
    check_readings(readings, params)
    start = readings[0]
    assert start.effective_on is not None
    first_year = season_first_year(start.effective_on)
    first, last, in_season = season_days(first_year, params)
    threshold, average, year = threshold_km(params, first_year)
    if len(readings) == 1:
        return []
    end = readings[1]
    assert end.effective_on is not None
    days = days_between(start.effective_on, end.effective_on)
    if days <= 0:
        raise InvalidCase(end.date_field, "기간이 0일입니다 (a period of 0 days, E-1)")
    trail.say(
        "ECO-15",
        "계절관리제 {first} ~ {last} ({in_season}일); 기록 {start} ~ {end}",
        "Season {first} to {last} ({in_season} days); readings {start} to {end}",
        first=first,
        last=last,
        in_season=in_season,
        start=start.effective_on,
        end=end.effective_on,
    )
    windows = reading_windows(first_year, params)
    for reading in (start, end):
        opens, closes = windows[reading.event]
        assert reading.effective_on is not None
        if not opens <= reading.effective_on <= closes:
            trail.say(
                "ECO-17",
                "{event} 기록일 {on}이 기간 {opens} ~ {closes} 밖: 지급 없음",
                "{event} reading on {on} outside {opens} to {closes}: no award",
                event=reading.event,
                on=reading.effective_on,
                opens=opens,
                closes=closes,
            )
            return [CycleOutcome(start.effective_on, end.effective_on, days, NO_AWARD, ["ECO-17"])]
    driven = Fraction(end.km - start.km, days) * in_season
    outcome = CycleOutcome(
        start.effective_on,
        end.effective_on,
        days,
        NO_AWARD,
        ["ECO-15", "ECO-16"],
        baseline_km=Fraction(threshold),
        driven_km=driven,
    )
    trail.say(
        "ECO-16",
        "기준: {year}년 서울시 평균 {average:km}km × 4/12 × 50% → {threshold:,}km",
        "Threshold: Seoul's {year} average {average:km} km × 4/12 × 50% → {threshold:,} km",
        year=year,
        average=average,
        threshold=threshold,
    )
    if driven <= threshold:
        outcome.status, outcome.kind = AWARDED, "seasonal"
        outcome.mileage = int(params.at("eco.seasonal.award", first))
        outcome.payment_on = month_day(first_year + 1, params.at("eco.seasonal.payment_day", first))
    trail.say(
        "ECO-15",
        "시즌 주행거리 {driven:km}km {sign} {threshold:,}km → "
        + ("{mileage:ko} 마일리지" if outcome.mileage else "지급 없음"),
        "Distance in season {driven:km} km {sign} {threshold:,} km → "
        + ("{mileage:,} mileage" if outcome.mileage else "no award"),
        driven=driven,
        sign="≤" if outcome.mileage else ">",
        threshold=threshold,
        mileage=outcome.mileage,
    )
    return [outcome]
