"""Reads for the parameter pages: every parameter with its value in force, and one parameter's
history (the shipped YAML entries and the stored changes, who/when/why/source)."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mileage.core.models import ChangeState, ParameterChange
from mileage.core.parameters import current_parameters, shipped_parameters
from mileage.rules.params import Parameter

from .validation import parameter_info


@dataclass(frozen=True)
class Row:
    name: str
    description: str
    clauses: str
    unit: str
    by_year: bool
    key: str  # the entry in force today (from a date), or the latest year
    value: str
    pending: int


@dataclass(frozen=True)
class Entry:
    key: str
    value: str
    source: str
    note: str
    origin: str  # "YAML" or "승인된 변경"


def shown(value: Any) -> str:
    """A value as the city reads it: 10,183 · 1/2 as 0.5 · a table row per line."""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Fraction):
        return f"{value.numerator:,}" if value.denominator == 1 else f"{float(value):,.4g}"
    if isinstance(value, dt.date):
        return f"{value.year}년 {value.month}월 {value.day}일"
    if isinstance(value, tuple):
        return " · ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} {shown(v)}" for k, v in value.items()) + "}"
    return str(value)


def key_text(key: Any) -> str:
    """An entry's key as the city reads it: "2025년" (a statistics year) or "2026. 1. 1.~"."""
    if key is None:
        return "—"
    if isinstance(key, int):
        return f"{key}년"
    return f"{key.year}. {key.month}. {key.day}.부터"


def _in_force(parameter: Parameter, today: dt.date) -> tuple[Any, Any]:
    """Today's entry of a dated parameter (None before its first date); a yearly one's latest."""
    if parameter.by_year:
        return parameter.keys[-1], parameter.values[-1].value
    index = bisect.bisect_right(parameter.keys, today) - 1
    if index < 0:
        return None, None
    return parameter.keys[index], parameter.values[index].value


def overview() -> list[Row]:
    params, today = current_parameters(), timezone.localdate()
    pending: dict[str, int] = {}
    for name in pending_changes().values_list("name", flat=True):
        pending[name] = pending.get(name, 0) + 1
    rows = []
    for name in params.names():
        parameter = params.info(name)
        key, value = _in_force(parameter, today)
        rows.append(
            Row(
                name=name,
                description=parameter.description,
                clauses=", ".join(parameter.clauses),
                unit=parameter.unit,
                by_year=parameter.by_year,
                key=key_text(key),
                value="—" if key is None else shown(value),
                pending=pending.get(name, 0),
            )
        )
    return rows


def entries(name: str) -> tuple[Parameter, list[Entry]]:
    """The parameter in force and its entries, each marked as shipped or approved later."""
    parameter = parameter_info(current_parameters(), name)
    shipped = shipped_parameters().items[name]
    result = []
    for key, entry in zip(parameter.keys, parameter.values, strict=True):
        from_yaml = key in shipped.keys and shipped.values[shipped.keys.index(key)] == entry
        result.append(
            Entry(
                key_text(key),
                shown(entry.value),
                entry.source,
                entry.note,
                "기본값 (YAML)" if from_yaml else "승인된 변경",
            )
        )
    return parameter, result


def changes_of(name: str) -> QuerySet[ParameterChange]:
    return ParameterChange.objects.filter(name=name).select_related("proposer", "approver")


def pending_changes() -> QuerySet[ParameterChange]:
    return (
        ParameterChange.objects.filter(state=ChangeState.PROPOSED)
        .select_related("proposer")
        .order_by("proposed_at", "id")
    )
