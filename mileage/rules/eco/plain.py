"""The eco-car fast lane of `evaluate()`: well-formed cases checked and evaluated in one pass.

`evaluate_plain(case, params)` takes a case as JSON gives it (plain dicts and lists, every
reading with its `uploaded` date) and returns the RULES-CLI result, deciding exactly as the
careful path in `eco/car.py` (ECO-5..ECO-14) with the same exact integers (C-4): a baseline
`b_num / b_den`, driven km `raw × 365 / days` (C-3), cross-multiplied against the ECO-9 tiers.

It returns None whenever the case is anything but plain (another type, a missing or mistyped
field, an E-2 annual reading without dates, any E-1 / ECO-4 / ECO-5 refusal): the engine then
runs the careful path, which names the error exactly. It also raises whatever the shared rules
raise (a `MissingParameter`, a date out of range); the engine answers those the same way, so
every error text comes from one place. It records no trace: `explain()` takes the careful path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mileage.rules.arith import DAYS_PER_YEAR, display_ratio
from mileage.rules.average import seoul_average_in_force, seoul_average_of_year
from mileage.rules.case import END_REASONS, EVENTS, FUELS, as_date
from mileage.rules.dates import add_months, add_years
from mileage.rules.eco.award import prorate, regular_km_tiers, regular_pct_tiers
from mileage.rules.eco.cycle import annual_window
from mileage.rules.eco.payment import payment_on
from mileage.rules.outcome import AWARDED, NO_AWARD, NOT_EVALUATED, VOID
from mileage.rules.params import Parameters

_EVENTS = EVENTS["eco-car"]
IntTiers = tuple[tuple[int, int, int], ...]  # (lower bound numerator, denominator, mileage)


def _int_tiers(params: Parameters, on: date) -> tuple[IntTiers, IntTiers]:
    """ECO-9: the % and km tables in force on `on` as integer rows, once per Parameters."""

    def build() -> tuple[IntTiers, IntTiers]:
        return tuple(  # type: ignore[return-value]
            tuple((lower.numerator, lower.denominator, mileage) for lower, mileage in table)
            for table in (regular_pct_tiers(params, on), regular_km_tiers(params, on))
        )

    return params.derived(("int_tiers", on), build)


def _maintenance(params: Parameters, uploaded_on: date) -> tuple[date, int, int, int] | None:
    """ECO-10 / E-8 / E-5 in force for a closing upload on `uploaded_on` (as `maintenance_award`):
    None before the award's first date, else (first cycle start date, Seoul average as
    numerator and denominator, amount): a cycle starting on or after that date whose driven km
    are at most the average earns the amount. All looked up at once: a missing value raises,
    and the engine's careful path then decides (it asks only for the values it needs)."""
    name = "eco.maintenance_award"
    if not params.in_force(name, uploaded_on):
        return None
    average = seoul_average_in_force(params, uploaded_on)
    return (
        params.at("eco.maintenance_cycle_start_from", uploaded_on),
        average.numerator,
        average.denominator,
        int(params.at(name, uploaded_on)),
    )


def _tier(num: int, den: int, tiers: IntTiers) -> int:
    """ECO-9 / C-4: mileage of the highest tier with lower bound ≤ num/den (den > 0)."""
    amount = 0
    for lower_num, lower_den, mileage in tiers:
        if num * lower_den < lower_num * den:
            break
        amount = mileage
    return amount


def evaluate_plain(case: dict[str, Any], params: Parameters) -> dict[str, Any] | None:
    """ECO-5..ECO-14 for a plain eco-car case (see the module docstring), else None."""
    vehicle = case.get("vehicle")
    readings = case.get("readings")
    if type(vehicle) is not dict or type(readings) is not list or not readings:
        return None
    fuel = vehicle.get("fuel")
    if fuel is not None and fuel not in FUELS:
        return None
    registered_on = as_date(vehicle.get("first_registered"), "vehicle.first_registered")
    ended = case.get("ended")
    if ended is not None:
        if type(ended) is not dict or ended.get("reason") not in END_REASONS:
            return None
        as_date(ended.get("on"), "ended.on")

    cycles: list[dict[str, Any]] = []
    previous_event = previous_km = previous_on = None
    initial_uploaded_on = start_on = registered_on  # set by the initial reading
    start_km = leg_km = driven = annuals = 0
    changed = changed_before = previous_regular = False
    first_baseline = (0, 1)
    for index, reading in enumerate(readings):
        if type(reading) is not dict:
            return None
        event, km = reading.get("event"), reading.get("km")
        if type(km) is not int or km < 0 or event not in _EVENTS:
            return None
        uploaded, taken = reading.get("uploaded"), reading.get("taken")
        if uploaded is None:
            return None  # E-2 (A+29 stands in) or an error: the careful path
        uploaded_on = as_date(uploaded, "uploaded")
        if taken is None:
            effective_on = uploaded_on  # C-1
        else:
            effective_on = as_date(taken, "taken")
            # ECO-4: captured on or before its upload, at most `photo_max_age_days` before it
            if effective_on > uploaded_on or (uploaded_on - effective_on).days > params.at(
                "eco.photo_max_age_days", uploaded_on
            ):
                return None
        if index == 0:
            # RULES-CLI: `initial` first; ECO-6: not before the first registration
            if event != "initial" or registered_on > effective_on:
                return None
            first_baseline = _first_baseline(registered_on, effective_on, km, params)
            initial_uploaded_on, start_on, start_km = uploaded_on, effective_on, km
            previous_event, previous_km, previous_on, leg_km = event, km, effective_on, km
            continue
        # E-1: dates in order, no odometer going back (a change-in starts a new odometer);
        # E-7: change-out directly followed by change-in; `end` only last; one `initial`
        if (
            effective_on < previous_on  # type: ignore[operator]
            or (event == "change-in") != (previous_event == "change-out")
            or (event != "change-in" and km < previous_km)  # type: ignore[operator]
            or event == "initial"
            or previous_event == "end"
        ):
            return None
        previous_event, previous_km, previous_on = event, km, effective_on
        if event == "change-out":  # ECO-13 / E-7: the old vehicle's leg
            driven += km - leg_km
            changed = True
            continue
        if event == "change-in":  # E-7: the gap between the two vehicles adds no km
            leg_km = km
            continue
        last_on = None
        if event == "annual":  # ECO-5: the n-th annual reading, not before its window opens
            annuals += 1
            opens_on, last_on = annual_window(initial_uploaded_on, annuals, params)
            if uploaded_on < opens_on:
                return None
        driven += km - leg_km
        days = (effective_on - start_on).days  # C-2
        if days <= 0:
            return None  # E-1: a cycle of 0 days
        number = len(cycles) + 1
        if number == 1:
            baseline, base_clause = first_baseline, "ECO-6"
        elif previous_regular and not changed_before:  # ECO-7: from the previous annual reading
            baseline = (start_km * DAYS_PER_YEAR, (start_on - registered_on).days)
            base_clause = "ECO-7"
        else:  # ECO-7 / E-6: no regular award last time, or an earlier change: ECO-6's kept
            baseline, base_clause = first_baseline, "ECO-7"
        cycle = _cycle(
            start_on, effective_on, days, driven, baseline, base_clause, changed,
            uploaded_on, last_on, params,
        )  # fmt: skip
        cycles.append(cycle)
        previous_regular = cycle["kind"] == "regular"
        changed_before = changed_before or changed
        start_on, start_km, leg_km = effective_on, km, km
        driven, changed = 0, False
    if previous_event == "change-out" or (previous_event == "end") != (ended is not None):
        return None  # E-7: a change-out is followed by a change-in; `ended` exactly with `end`
    return {"id": case.get("id"), "program": "eco-car", "cycles": cycles}


def _first_baseline(
    registered_on: date, initial_on: date, initial_km: int, params: Parameters
) -> tuple[int, int]:
    """ECO-6 (as `first_cycle_baseline_km`): initial km annualised since first registration
    for a car a year old or more (C-5, C-3), else the Seoul average of the year before (E-4)."""
    days = (initial_on - registered_on).days
    # C-5: a year after registration is 365 or 366 days after it; only then ask the calendar
    if days > 366 or (days >= 365 and add_years(registered_on, 1) <= initial_on):
        return initial_km * DAYS_PER_YEAR, days
    average = seoul_average_of_year(params, initial_on.year - 1)
    return average.numerator, average.denominator


def _cycle(
    start_on: date,
    end_on: date,
    days: int,
    driven_raw: int,
    baseline: tuple[int, int],
    base_clause: str,
    changed: bool,
    uploaded_on: date,
    last_on: date | None,
    params: Parameters,
) -> dict[str, Any]:
    """One closed cycle as its RULES-CLI dict (as `evaluate_cycle` + `CycleOutcome.as_dict`).

    `last_on` is the ECO-5 window's last day for an annual reading, None for an `end`."""
    if last_on is None:  # ECO-11 / E-9: an early end
        months = int(params.at("eco.early_end_min_months", uploaded_on))
        if end_on < add_months(start_on, months):
            return _unshown(start_on, end_on, days, NOT_EVALUATED, ["ECO-11"])
        if end_on >= add_years(start_on, 1):
            return _unshown(start_on, end_on, days, VOID, ["ECO-11", "ECO-5", "ECO-14"])
    elif uploaded_on > last_on:  # ECO-14: uploaded after the window
        return _unshown(start_on, end_on, days, VOID, ["ECO-5", "ECO-14"])
    base_num, base_den = baseline
    driven_num = driven_raw * DAYS_PER_YEAR  # ECO-8 / C-3: driven km = driven_num / days
    # baseline − driven over base_den × days; the % is that over the baseline × 100 (E-6: a
    # baseline of 0 has no %), the same values as the careful path's Ratios
    reduction_num = base_num * days - driven_num * base_den
    reduction_den = base_den * days
    if reduction_num >= 0:  # ECO-9: the better of the two tables (회원에 유리한 기준)
        pct_tiers, km_tiers = _int_tiers(params, uploaded_on)
        mileage = _tier(reduction_num, reduction_den, km_tiers)
        if base_num:
            mileage = max(_tier(100 * reduction_num, days * base_num, pct_tiers), mileage)
        kind = "regular"
        reasons = ["ECO-9", base_clause]
    else:  # ECO-10: maintenance mileage when driving rose
        terms = params.derived(
            ("maintenance_terms", uploaded_on), _maintenance, params, uploaded_on
        )
        mileage = 0
        if terms is not None and start_on >= terms[0] and driven_num * terms[2] <= terms[1] * days:
            mileage = terms[3]
        kind = "maintenance"
        reasons = ["ECO-10", "ECO-9", base_clause]
    if changed:  # ECO-13 right after the baseline clause
        reasons.append("ECO-13")
    if last_on is None:  # ECO-11: early-end pro-rating
        reasons.insert(0, "ECO-11")
        if mileage:
            mileage = prorate(mileage, days, params, uploaded_on)
    return {
        "start": _iso(start_on),
        "end": _iso(end_on),
        "days": days,
        "baseline_km": display_ratio(base_num, base_den),
        "driven_km": display_ratio(driven_num, days),
        "reduction_km": display_ratio(reduction_num, reduction_den),
        "reduction_pct": display_ratio(100 * reduction_num, days * base_num) if base_num else None,
        "status": AWARDED if mileage else NO_AWARD,
        "kind": kind if mileage else None,
        "mileage": mileage,
        "payment_on": _iso(payment_on(uploaded_on, params)) if mileage else None,  # ECO-12
        "reasons": [*reasons, "ECO-12"] if mileage else reasons,
    }


_ISO_TEXTS: dict[date, str] = {}  # dates shown in results → one shared text each


def _iso(on: date) -> str:
    """`on.isoformat()`, the same str object for the same date (results share their texts:
    less memory, and less for the garbage collector to visit when many results are kept)."""
    try:
        return _ISO_TEXTS[on]
    except KeyError:
        if len(_ISO_TEXTS) >= 200_000:  # about 550 years of distinct dates
            _ISO_TEXTS.clear()
        text = _ISO_TEXTS[on] = on.isoformat()
        return text


def _unshown(start_on: date, end_on: date, days: int, status: str, reasons: list[str]) -> dict:
    """A void or not-evaluated cycle: no km shown (RULES-CLI nulls)."""
    return {
        "start": _iso(start_on),
        "end": _iso(end_on),
        "days": days,
        "baseline_km": None,
        "driven_km": None,
        "reduction_km": None,
        "reduction_pct": None,
        "status": status,
        "kind": None,
        "mileage": 0,
        "payment_on": None,
        "reasons": reasons,
    }
