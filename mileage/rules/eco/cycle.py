"""ECO-5 cycles and windows, ECO-8 driven km, ECO-13 vehicle changes (E-2, E-3, E-7)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mileage.rules.arith import Ratio, annualised_km
from mileage.rules.case import Reading
from mileage.rules.dates import add_years, days_between, window_last_day
from mileage.rules.errors import InvalidCase
from mileage.rules.params import Parameters
from mileage.rules.readings import check_initial_first


def annual_window(
    initial_uploaded_on: date, cycle_no: int, params: Parameters
) -> tuple[date, date]:
    """ECO-5: cycle k's annual reading may be uploaded from A = k years (C-5) after the initial
    reading's upload date to A+29 (C-6). E-3: A is counted from the initial upload each time
    (2024-02-29 + 1 year = 2025-02-28; + 4 years = 2028-02-29)."""

    key = ("annual_window", initial_uploaded_on, cycle_no)
    return params.derived(key, _annual_window, initial_uploaded_on, cycle_no, params)


def _annual_window(
    initial_uploaded_on: date, cycle_no: int, params: Parameters
) -> tuple[date, date]:
    opens_on = add_years(initial_uploaded_on, cycle_no)
    days = int(params.at("eco.annual_window_days", opens_on))
    return opens_on, window_last_day(opens_on, days)


@dataclass(slots=True)
class EcoCycle:
    """ECO-5: one cycle, from its start reading to its closing `annual` or `end` reading.

    `start_on` / `end_on` are the readings' effective dates (C-1) and `days` the C-2 count
    between them: the cycle keeps its own days (E-7), gaps between vehicles included.
    """

    number: int
    start: Reading
    end: Reading
    driven_raw_km: int  # E-7: km of all legs added (old and new vehicle)
    changed: bool  # ECO-13: a vehicle change inside this cycle
    start_on: date = field(init=False)
    end_on: date = field(init=False)
    days: int = field(init=False)

    def __post_init__(self) -> None:
        assert self.start.effective_on is not None and self.end.effective_on is not None
        self.start_on, self.end_on = self.start.effective_on, self.end.effective_on
        self.days = days_between(self.start_on, self.end_on)

    def driven_km(self) -> Ratio:
        """ECO-8: driven km (주행거리) annualised over the cycle's days (C-3), exact."""
        return annualised_km(self.driven_raw_km, self.days)


def check_structure(readings: Sequence[Reading], has_ended: bool) -> None:
    """RULES-CLI / E-9: `initial` first and only there; `end` only last; `ended` present exactly
    when the last reading is `end`."""
    check_initial_first(readings)
    for reading in readings[:-1]:
        if reading.event == "end":
            raise InvalidCase(
                f"{reading.path}.event",
                "end 기록 뒤에는 기록이 올 수 없습니다 (nothing follows an end reading, E-9)",
            )
    ends = readings[-1].event == "end"
    if ends and not has_ended:
        raise InvalidCase("ended", "end 기록이 있으면 필수입니다 (required with an end reading)")
    if has_ended and not ends:
        raise InvalidCase(
            "ended", "마지막 기록이 end일 때만 줄 수 있습니다 (only when the last reading is end)"
        )


def resolve_annual_dates(readings: Sequence[Reading], params: Parameters) -> None:
    """E-2 / C-1: an annual reading with neither capture nor upload date stands at A+29 for its
    effective date, upload date and payment calendar date."""
    initial_uploaded_on = readings[0].uploaded_on
    assert initial_uploaded_on is not None
    number = 0
    for reading in readings:
        if reading.event != "annual":
            continue
        number += 1
        if reading.given_uploaded_on is None:
            _, last_on = annual_window(initial_uploaded_on, number, params)
            reading.uploaded_on = reading.effective_on = last_on


def check_annual_not_early(readings: Sequence[Reading], params: Parameters) -> None:
    """ECO-5 / E-1: an annual reading uploaded before A is refused (an input error)."""
    initial_uploaded_on = readings[0].uploaded_on
    assert initial_uploaded_on is not None
    number = 0
    for reading in readings:
        if reading.event != "annual":
            continue
        number += 1
        opens_on, _ = annual_window(initial_uploaded_on, number, params)
        assert reading.uploaded_on is not None
        if reading.uploaded_on < opens_on:
            raise InvalidCase(
                f"{reading.path}.uploaded",
                f"{number}년차 실적은 {opens_on}부터 등록할 수 있습니다 "
                f"(annual reading {number} uploaded before {opens_on}, ECO-5)",
            )


def split_cycles(readings: Sequence[Reading]) -> list[EcoCycle]:
    """ECO-5 / E-3 / ECO-13 / E-7 for one case: `split_readings` over its readings (checked by
    `check_structure` first, so the first reading is `initial`)."""
    n = len(readings)
    split = Split.empty(n, list)
    count = split_readings(
        [0] * n,
        [EVENT_CODES[r.event] for r in readings],
        [r.km for r in readings],  # exact Python ints (C-4)
        *split.arrays(),
    )
    cycles: list[EcoCycle] = []
    for c in range(count):
        end = readings[split.end[c]]
        cycle = EcoCycle(
            split.number[c], readings[split.start[c]], end, split.driven_km[c], split.changes[c] > 0
        )
        if cycle.days <= 0:
            raise InvalidCase(end.date_field, "주기가 0일입니다 (a cycle of 0 days, E-1)")
        cycles.append(cycle)
    return cycles


# Event codes of `split_readings` (RULES-CLI eco-car events).
INITIAL, ANNUAL, END, CHANGE_OUT, CHANGE_IN = range(5)
EVENT_CODES = {"initial": INITIAL, "annual": ANNUAL, "end": END, "change-out": CHANGE_OUT,
               "change-in": CHANGE_IN}  # fmt: skip


@dataclass
class Split:
    """Where `split_readings` writes the cycles, one entry per closing reading (lists, or
    numpy arrays in the batch path). `first` / `start` / `end` / `change_out` / `change_in`
    index the readings given (-1: none)."""

    first: Any  # the participation's first reading (initial)
    start: Any  # the reading opening the cycle (initial, or the previous closing one)
    end: Any  # the closing reading (annual or end)
    number: Any  # ECO-5: 1, 2, ... within the participation
    driven_km: Any  # E-7: the km of every leg added (old and new vehicle)
    changes: Any  # ECO-13: vehicle changes (change-out readings) inside the cycle
    change_out: Any  # the cycle's last change-out reading, -1 without a change
    change_in: Any  # the cycle's last change-in reading, -1 without a change

    @classmethod
    def empty(cls, n: int, make: Callable[[list[int]], Any]) -> Split:
        return cls(*(make([0] * n) for _ in range(8)))

    def arrays(self) -> tuple[Any, ...]:
        return tuple(vars(self).values())


def split_readings(  # type: ignore[no-untyped-def]
    group, event, km, first, start, end, number, driven_km, changes, change_out, change_in
):
    """ECO-5 / E-3: the n-th annual reading closes cycle n and opens the next; an `end` closes
    the last. ECO-13 / E-7: a change adds the old vehicle's leg (to its change-out) and the new
    one's (from its change-in); the gap between the two adds no km.

    The one readings→cycles split of the rules. Readings come in order, grouped by
    participation (`group`); `event` holds EVENT_CODES. It writes the cycles into the `Split`
    arrays that follow and returns how many there are. A participation's first reading opens
    its first cycle; checking the structure (initial first, E-1, E-7) is the caller's (the
    scalar path's `check_structure`, the batch kernel's row checks).

    Plain Python on lists for the scalar path (`split_cycles`, exact ints of any size); the
    batch path compiles this same function with numba (`batch/cases.cycle_frame`).
    """
    count = 0
    head = opened = leg = 0
    k = legs = outs = 0
    out_at = in_at = -1
    for i in range(len(event)):
        code = event[i]
        if i == 0 or group[i] != group[i - 1]:
            head = opened = leg = i
            k = legs = outs = 0
            out_at = in_at = -1
        elif code == CHANGE_OUT:
            legs += km[i] - km[leg]
            outs += 1
            out_at = i
        elif code == CHANGE_IN:
            leg = in_at = i
        elif code == ANNUAL or code == END:
            legs += km[i] - km[leg]
            k += 1
            first[count] = head
            start[count] = opened
            end[count] = i
            number[count] = k
            driven_km[count] = legs
            changes[count] = outs
            change_out[count] = out_at
            change_in[count] = in_at
            count += 1
            opened = leg = i
            legs = outs = 0
            out_at = in_at = -1
    return count
