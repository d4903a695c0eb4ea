"""Strict parsing of a case (RULES-CLI "A case"): every missing or mistyped field is an
`InvalidCase(field, problem)` naming the field, e.g. `readings[1].km: 정수가 아닙니다`.

Field paths follow the JSON: `vehicle.first_registered`, `readings[2].uploaded`, `days[0].steps`.
Problems are Korean first with the English in parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mileage.rules.errors import InvalidCase

PROGRAMS = ("eco-car", "eco-seasonal", "pilot-2014", "walk")
FUELS = ("gasoline", "diesel", "lpg", "hybrid", "electric", "hydrogen")
EVENTS = {
    "eco-car": ("initial", "annual", "end", "change-out", "change-in"),
    "eco-seasonal": ("season-start", "season-end"),
    "pilot-2014": ("initial", "final", "change-out", "change-in"),
}
END_REASONS = ("transfer", "deregistration")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARSED_DATES: dict[str, date] = {}  # valid `YYYY-MM-DD` texts → dates (C-1 parsing, pure)

MISSING = "필수 항목이 없습니다 (missing)"


def is_int(value: Any) -> bool:
    """A JSON integer (a boolean is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require(obj: Mapping[str, Any], key: str, path: str) -> Any:
    """The value of a required key; missing or null is an error."""
    if key not in obj or obj[key] is None:
        raise InvalidCase(path, MISSING)
    return obj[key]


def as_object(value: Any, path: str) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):  # dict: skip the ABC check
        raise InvalidCase(path, "객체가 아닙니다 (not an object)")
    return value


def as_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidCase(path, "목록이 아닙니다 (not a list)")
    return value


def as_date(value: Any, path: str) -> date:
    """A strict `YYYY-MM-DD` date (valid texts are remembered: cases repeat their dates)."""
    try:
        return _PARSED_DATES[value]
    except (KeyError, TypeError):  # TypeError: an unhashable value, refused below
        pass
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise InvalidCase(
            path, f"날짜 형식(YYYY-MM-DD)이 아닙니다 (not a YYYY-MM-DD date: {value!r})"
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidCase(path, f"없는 날짜입니다 (no such date: {value})") from None
    if len(_PARSED_DATES) >= 200_000:  # about 550 years of distinct dates
        _PARSED_DATES.clear()
    _PARSED_DATES[value] = parsed
    return parsed


def as_optional_date(obj: Mapping[str, Any], key: str, path: str) -> date | None:
    """A date that may be null or absent (a reading's `taken`/`uploaded`, C-1)."""
    value = obj.get(key)
    return None if value is None else as_date(value, path)


def as_km(value: Any, path: str) -> int:
    """An odometer value: a JSON integer ≥ 0 (C-1)."""
    if not is_int(value):
        raise InvalidCase(path, f"정수가 아닙니다 (not an integer: {value!r})")
    if value < 0:
        raise InvalidCase(path, f"음수입니다 (negative: {value})")
    return value


def as_choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(choices)
        raise InvalidCase(path, f"허용되지 않는 값입니다 (must be one of {listed}; got {value!r})")
    return value


def as_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidCase(path, f"true/false가 아닙니다 (not a boolean: {value!r})")
    return value


@dataclass(slots=True)
class Reading:
    """One odometer reading as given (C-1); `effective_on` and `uploaded_on` resolved by rules."""

    index: int
    event: str
    km: int
    taken_on: date | None
    given_uploaded_on: date | None
    effective_on: date | None = None
    uploaded_on: date | None = None

    @property
    def path(self) -> str:
        return f"readings[{self.index}]"

    @property
    def date_field(self) -> str:
        """The field that gave the effective date, for error messages."""
        return f"{self.path}.taken" if self.taken_on else f"{self.path}.uploaded"


@dataclass(frozen=True, slots=True)
class Vehicle:
    first_registered_on: date | None
    fuel: str | None


def parse_vehicle(case: Mapping[str, Any], *, registered: bool, fuel: bool) -> Vehicle:
    """`vehicle`: `first_registered` and `fuel` required where the program needs them,
    validated wherever present (RULES-CLI)."""
    raw = case.get("vehicle")
    if raw is None:
        if registered or fuel:
            raise InvalidCase("vehicle", MISSING)
        return Vehicle(None, None)
    vehicle = as_object(raw, "vehicle")
    first = vehicle.get("first_registered")
    if first is None and registered:
        raise InvalidCase("vehicle.first_registered", MISSING)
    kind = vehicle.get("fuel")
    if kind is None and fuel:
        raise InvalidCase("vehicle.fuel", MISSING)
    return Vehicle(
        None if first is None else as_date(first, "vehicle.first_registered"),
        None if kind is None else as_choice(kind, "vehicle.fuel", FUELS),
    )


def parse_readings(case: Mapping[str, Any], program: str) -> list[Reading]:
    """`readings`: a non-empty list of readings with the program's events (E-1 checks follow
    in each program)."""
    raw = as_list(require(case, "readings", "readings"), "readings")
    if not raw:
        raise InvalidCase("readings", "최소 한 개의 기록이 필요합니다 (at least one reading)")
    readings = []
    events = EVENTS[program]
    for index, item in enumerate(raw):
        path = f"readings[{index}]"
        entry = as_object(item, path)
        event, km = entry.get("event"), entry.get("km")
        if event not in events or not is_int(km) or km < 0:  # name the first bad field
            event = as_choice(require(entry, "event", f"{path}.event"), f"{path}.event", events)
            km = as_km(require(entry, "km", f"{path}.km"), f"{path}.km")
        taken = as_optional_date(entry, "taken", f"{path}.taken")
        uploaded = as_optional_date(entry, "uploaded", f"{path}.uploaded")
        readings.append(Reading(index, event, km, taken, uploaded))
    return readings


def parse_program(case: Any) -> tuple[Mapping[str, Any], str]:
    """The case object and its `program` (one of RULES-CLI's four)."""
    obj = as_object(case, "case")
    program = as_choice(require(obj, "program", "program"), "program", PROGRAMS)
    return obj, program
