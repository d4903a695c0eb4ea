"""ECO-6 / ECO-7: baseline km (기준 주행거리) of the first and later cycles."""

from __future__ import annotations

from datetime import date

from mileage.rules.arith import Ratio, annualised_km
from mileage.rules.average import seoul_average_of_year
from mileage.rules.dates import days_between, one_year_after
from mileage.rules.outcome import Trail
from mileage.rules.params import Parameters


def first_cycle_baseline_km(
    registered_on: date, initial_on: date, initial_km: int, params: Parameters, trail: Trail
) -> Ratio:
    """ECO-6: baseline km (기준 주행거리) of the first cycle.

    A car first registered at least a year (C-5) before the initial reading's effective date:
    its initial km annualised over the days since registration (C-3). Otherwise the Seoul
    average of the year before the enrolment year, which must exist for exactly that year (E-4).
    """
    if one_year_after(registered_on) <= initial_on:
        days = days_between(registered_on, initial_on)
        baseline = annualised_km(initial_km, days)
        trail.say(
            "ECO-6",
            "기준 주행거리: 최초등록 {registered}부터 {initial}까지 {days}일 동안 "
            "{km:,}km → 연 {baseline:km}km",
            "Baseline: {km:,} km over {days} days since first registration "
            "{registered} → {baseline:km} km a year",
            registered=registered_on,
            initial=initial_on,
            days=days,
            km=initial_km,
            baseline=baseline,
        )
        return baseline
    year = initial_on.year - 1  # E-4: the enrolment year is the initial reading's year
    average = seoul_average_of_year(params, year)
    baseline = Ratio(average.numerator, average.denominator)
    trail.say(
        "ECO-6",
        "등록 1년 미만 차량: {year}년 서울시 연평균 주행거리 {baseline:km}km를 기준으로 함",
        "Car under a year old: baseline is Seoul's {year} average, {baseline:km} km",
        year=year,
        baseline=baseline,
    )
    return baseline


def later_cycle_baseline_km(
    registered_on: date, previous_end_on: date, previous_end_km: int, trail: Trail
) -> Ratio:
    """ECO-7: baseline km (기준 주행거리) of a later cycle after a regular award: the odometer at
    the previous annual reading annualised from first registration to its effective date."""
    days = days_between(registered_on, previous_end_on)
    baseline = annualised_km(previous_end_km, days)
    trail.say(
        "ECO-7",
        "기준 주행거리: 최초등록부터 전년도 실적 {previous_on}까지 {km:,}km → 연 {baseline:km}km",
        "Baseline: {km:,} km from first registration to the previous annual "
        "reading {previous_on} → {baseline:km} km a year",
        previous_on=previous_end_on,
        km=previous_end_km,
        baseline=baseline,
    )
    return baseline
