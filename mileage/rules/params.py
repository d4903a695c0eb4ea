"""Dated parameters (STYLE.md §2): YAML files under `parameters/`, loaded and validated once.

One file per quantity, OpenFisca-style; the path is the name (`eco/maintenance_award.yaml` →
`eco.maintenance_award`). Date keys are "in force from this day until the next key"; year keys
(`lookup: by-year`) are exact. Before the first date, or for a year not listed, the lookup raises
`MissingParameter` — never a default. Values the city enters later are layered on top with
`Parameters.with_overrides(...)`; rules never know where a value came from.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import yaml

from mileage.rules.errors import MissingParameter, ParameterFileError

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"
MEMO_LIMIT = 500_000  # derived values kept per Parameters object (a few per date and rule)
T = TypeVar("T")

# Units a file may declare. Integer units hold ints; exact units hold Fractions (C-4).
INTEGER_UNITS = frozenset(
    {"mileage", "won", "days", "months", "years", "count", "steps", "seats", "won-per-km"}
)
EXACT_UNITS = frozenset({"km", "pct", "m", "ratio"})
OTHER_UNITS = frozenset({"date", "month-day", "calendar", "district-codes", "words"})
KNOWN_UNITS = INTEGER_UNITS | EXACT_UNITS | OTHER_UNITS

CLAUSE_RE = re.compile(r"^(C|ECO|PILOT|WALK|E|LEDGER)-\d+$")
MONTH_DAY_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FRACTION_RE = re.compile(r"^-?\d+/\d+$")
DISTRICT_CODE_RE = re.compile(r"^\d{5}$")  # 행정표준코드 of a district
TOP_KEYS = frozenset(
    {"description", "clause", "unit", "lookup", "values", "interpretation", "note"}
)
VALUE_KEYS = frozenset({"value", "source", "interpretation", "note"})


@dataclass(frozen=True)
class ParameterValue:
    """One dated (or yearly) value with its source; `interpretation` marks the project's reading."""

    value: Any
    source: str
    interpretation: bool = False
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    """One quantity: its clauses, unit, lookup kind and values sorted by key."""

    name: str
    description: str
    clauses: tuple[str, ...]
    unit: str
    by_year: bool
    keys: tuple[Any, ...]  # sorted dates, or sorted years
    values: tuple[ParameterValue, ...]
    origin: str
    interpretation: bool = False
    note: str = ""

    def entry_at(self, on: date) -> ParameterValue:
        """The value in force on a date (latest key ≤ date)."""
        if self.by_year:
            raise TypeError(f"{self.name} is looked up by year, not by date")
        index = bisect.bisect_right(self.keys, on) - 1
        if index < 0:
            raise MissingParameter(self.name, on)
        return self.values[index]

    def entry_for_year(self, year: int) -> ParameterValue:
        """The value of exactly this statistics year."""
        if not self.by_year:
            raise TypeError(f"{self.name} is looked up by date, not by year")
        index = bisect.bisect_left(self.keys, year)
        if index == len(self.keys) or self.keys[index] != year:
            raise MissingParameter(self.name, year)
        return self.values[index]


@dataclass(frozen=True)
class Parameters:
    """All parameters, validated; the only way rules read a number the city may change.

    `derived(key, build)` keeps values computed from them (tier tables as exact rationals,
    payment dates, windows) once per Parameters object: the parameters never change, and a
    new object (`with_overrides`) starts with an empty memo.
    """

    items: Mapping[str, Parameter] = field(default_factory=dict)
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: Hashable, build: Callable[..., T], *args: Any) -> T:
        """`build(*args)` on first use of `key`, then the same value. The key is a tuple of a
        label naming the rule (`"payment_on"`, `"tiers"`; never a bare parameter name, which
        `at` uses) and its inputs. Errors (MissingParameter) are raised each time, never kept.
        Hot callers pass a module-level `build` and its `args` (no closure made per call)."""
        try:
            return self._memo[key]
        except KeyError:
            pass
        if len(self._memo) >= MEMO_LIMIT:  # a long-running process sees many dates: start over
            self._memo.clear()
        value = self._memo[key] = build(*args)
        return value

    def names(self) -> list[str]:
        return sorted(self.items)

    def info(self, name: str) -> Parameter:
        try:
            return self.items[name]
        except KeyError:
            raise MissingParameter(name, "any date") from None

    def at(self, name: str, on: date) -> Any:
        """The value of a dated parameter in force on `on`; MissingParameter before the first key."""
        try:
            return self._memo[name, on]
        except KeyError:
            return self.derived((name, on), lambda: self.info(name).entry_at(on).value)

    def in_force(self, name: str, on: date) -> bool:
        """Whether a dated parameter has a value on `on` (a clause that starts on a date)."""
        parameter = self.info(name)
        return bool(parameter.keys) and parameter.keys[0] <= on

    def by_year(self, name: str, year: int) -> Any:
        """The value for exactly this year; MissingParameter for any year not listed."""
        return self.info(name).entry_for_year(year).value

    def years(self, name: str) -> tuple[int, ...]:
        """The years a by-year parameter has values for, ascending."""
        parameter = self.info(name)
        if not parameter.by_year:
            raise TypeError(f"{name} is looked up by date, not by year")
        return parameter.keys

    def latest(self, name: str) -> Any:
        """The most recent value: for programme facts not dated by use (PILOT-1's period)."""
        parameter = self.info(name)
        return parameter.values[-1].value

    def with_overrides(self, overrides: Mapping[str, Mapping[Any, Any]]) -> Parameters:
        """Layer values entered by the city over these ones (same or new keys of known names).

        `{"common.seoul_average_annual_km": {2023: 10101}}` or, with a source,
        `{"eco.maintenance_award": {"2026-01-01": {"value": 12000, "source": "시 고시"}}}`.
        """
        items = dict(self.items)
        for name, values in overrides.items():
            if name not in items:
                raise ParameterFileError(f"override {name}", "unknown parameter")
            base = items[name]
            origin = f"override {name}"
            merged = dict(zip(base.keys, base.values, strict=True))
            for raw_key, raw_value in values.items():
                key = _parse_key(raw_key, base.by_year, origin)
                if not isinstance(raw_value, Mapping):
                    raw_value = {"value": raw_value, "source": "override"}
                parsed = _parse_value(raw_value, base.unit, origin, key)
                if base.values:
                    _check_like(base.values[-1].value, parsed.value, f"{origin} [{key}]")
                merged[key] = parsed
            keys = tuple(sorted(merged))
            items[name] = replace(
                base,
                keys=keys,
                values=tuple(merged[k] for k in keys),
                origin=f"{base.origin} + override",
            )
        return Parameters(items)


def _fail(origin: str, problem: str) -> ParameterFileError:
    return ParameterFileError(origin, problem)


def _parse_key(raw: Any, by_year: bool, origin: str) -> date | int:
    if by_year:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1900 <= raw <= 2999:
            raise _fail(origin, f"key {raw!r} is not a year (lookup: by-year)")
        return raw
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and ISO_DATE_RE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise _fail(origin, f"key {raw!r} is not an ISO date (YYYY-MM-DD)")


def _convert(value: Any) -> Any:
    """Leaves become exact: floats and "a/b" strings → Fraction, ISO strings → date (C-4)."""
    if isinstance(value, bool) or isinstance(value, (int, date)):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        if FRACTION_RE.match(value):
            return Fraction(value)
        if ISO_DATE_RE.match(value):
            return date.fromisoformat(value)
        return value
    if isinstance(value, list):
        return tuple(_convert(item) for item in value)
    if isinstance(value, Mapping):
        return {str(k): _convert(v) for k, v in value.items()}
    return value


def _check_unit(value: Any, unit: str, origin: str) -> None:
    if unit == "district-codes":
        if not isinstance(value, tuple) or not all(
            isinstance(code, str) and DISTRICT_CODE_RE.match(code) for code in value
        ):
            raise _fail(origin, f"value {value!r} is not a list of 5-digit district codes")
        return
    if isinstance(value, (tuple, dict)):
        return  # tables are checked by the helpers that read them
    if unit in INTEGER_UNITS and (isinstance(value, bool) or not isinstance(value, int)):
        raise _fail(origin, f"value {value!r} is not an integer ({unit})")
    if unit in EXACT_UNITS and (isinstance(value, bool) or not isinstance(value, (int, Fraction))):
        raise _fail(origin, f"value {value!r} is not a number ({unit})")
    if unit == "date" and not isinstance(value, date):
        raise _fail(origin, f"value {value!r} is not a date")
    if unit == "month-day" and not (isinstance(value, str) and MONTH_DAY_RE.match(value)):
        raise _fail(origin, f"value {value!r} is not MM-DD")


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, Fraction))


def _check_like(shipped: Any, value: Any, where: str, path: str = "value") -> None:
    """An override has the shape of the shipped value: a single value stays one, a table keeps
    its rows' fields, and a number stays a number (tables skip `_check_unit`, so an override's
    table is checked here, against the file's, before any rule reads it)."""
    if isinstance(shipped, tuple):
        if not isinstance(value, tuple) or not value:
            raise _fail(where, f"{path} {value!r} is not a non-empty list like the file's")
        for index, item in enumerate(value):
            _check_like(shipped[0], item, where, f"{path}[{index}]")
    elif isinstance(shipped, dict):
        if not isinstance(value, dict) or set(value) != set(shipped):
            raise _fail(where, f"{path} {value!r} needs exactly the fields {sorted(shipped)}")
        for field_name, item in shipped.items():
            _check_like(item, value[field_name], where, f"{path}.{field_name}")
    elif isinstance(value, (tuple, dict)):
        raise _fail(where, f"{path} {value!r} is not a single value like the file's")
    elif _is_number(shipped) and not _is_number(value):
        raise _fail(where, f"{path} {value!r} is not a number")
    elif isinstance(shipped, (str, date)) and type(value) is not type(shipped):
        raise _fail(where, f"{path} {value!r} is not a {type(shipped).__name__} like the file's")


def _parse_value(raw: Any, unit: str, origin: str, key: Any) -> ParameterValue:
    where = f"{origin} [{key}]"
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise _fail(where, "each value needs `value:` and `source:`")
    unknown = set(raw) - VALUE_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail(where, "missing `source`")
    interpretation = bool(raw.get("interpretation", False))
    note = raw.get("note", "") or ""
    if interpretation and not note:
        raise _fail(where, "`interpretation: true` needs a `note`")
    value = _convert(raw["value"])
    _check_unit(value, unit, where)
    return ParameterValue(value, source, interpretation, str(note))


def parse_parameter(name: str, data: Any, origin: str) -> Parameter:
    """Validate one file's content (ISO or year keys, known unit, a clause) into a Parameter."""
    if not isinstance(data, Mapping):
        raise _fail(origin, "not a mapping")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise _fail(origin, f"unknown keys {sorted(unknown)}")
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(origin, "missing `description`")
    clause = data.get("clause")
    clauses = tuple(clause) if isinstance(clause, list) else (clause,)
    if not clause or not all(isinstance(c, str) and CLAUSE_RE.match(c) for c in clauses):
        raise _fail(origin, f"`clause` must name rulebook clauses, got {clause!r}")
    unit = data.get("unit")
    if unit not in KNOWN_UNITS:
        raise _fail(origin, f"unknown unit {unit!r}")
    lookup = data.get("lookup")
    if lookup not in (None, "by-year"):
        raise _fail(origin, f"unknown lookup {lookup!r}")
    by_year = lookup == "by-year"
    raw_values = data.get("values")
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise _fail(origin, "`values` must be a non-empty mapping")
    interpretation = bool(data.get("interpretation", False))
    note = str(data.get("note", "") or "")
    if interpretation and not note:
        raise _fail(origin, "`interpretation: true` needs a `note`")
    parsed: dict[Any, ParameterValue] = {}
    for raw_key, raw_value in raw_values.items():
        key = _parse_key(raw_key, by_year, origin)
        if key in parsed:
            raise _fail(origin, f"key {key} given twice")
        parsed[key] = _parse_value(raw_value, unit, origin, key)
    keys = tuple(sorted(parsed))
    return Parameter(
        name=name,
        description=description,
        clauses=clauses,
        unit=unit,
        by_year=by_year,
        keys=keys,
        values=tuple(parsed[k] for k in keys),
        origin=origin,
        interpretation=interpretation,
        note=note,
    )


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(PARAMETERS_DIR.parents[2]))
    except ValueError:
        return str(path)


def load_parameters(directory: Path = PARAMETERS_DIR) -> Parameters:
    """Read and validate every `*.yaml` under `directory`; errors name the file."""
    items: dict[str, Parameter] = {}
    files: Iterable[Path] = sorted(directory.rglob("*.yaml"))
    for path in files:
        relative = path.relative_to(directory).with_suffix("")
        name = ".".join(relative.parts)
        origin = _display_path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, ValueError) as exc:  # PyYAML raises ValueError for 2023-02-30
            raise _fail(origin, f"invalid YAML or ISO date: {exc}") from None
        items[name] = parse_parameter(name, data, origin)
    if not items:
        raise _fail(str(directory), "no parameter files")
    return Parameters(items)


@functools.cache
def default_parameters() -> Parameters:
    """The shipped parameters, loaded and validated once per process."""
    return load_parameters()
