"""Outcomes and the trail: the result shape of RULES-CLI and the bilingual explanation trace.

A rule records why it decided what it did: `Trail.say(clause, ko, en)` adds a trace line for
people (`--explain`); the `reasons` of a cycle list the clauses that decided it, most decisive
first (RULES-CLI).

The trace is built lazily: `say` may take `str.format` templates with their values
(`"{baseline:km}km"`), and the text is rendered only when `Trail.lines` is read, so
`evaluate()` (which never reads it) pays for no formatting at all.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from mileage.rules.arith import Ratio, display, format_km, format_mileage_ko, format_pct

AWARDED, NO_AWARD, VOID, NOT_EVALUATED = "awarded", "no-award", "void", "not-evaluated"


@dataclass(frozen=True)
class TraceLine:
    """One step of an explanation, in Korean and English, with the clause that decided it."""

    clause: str
    ko: str
    en: str

    def text(self, lang: str = "ko") -> str:
        body = self.ko if lang == "ko" else self.en
        return f"{body} ({self.clause})"


class _TraceFormatter(string.Formatter):
    """Format specs of trace templates (E-13): `km` → "9,876.54", `pct` → "19.9%" ("-" for
    None, E-6), `ko` → Korean amount "3만"; anything else is Python's own (`{n:,}`)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "km":
            return format_km(value)
        if format_spec == "pct":
            return "-" if value is None else f"{format_pct(value)}%"
        if format_spec == "ko":
            return format_mileage_ko(value)
        return format(value, format_spec)


_FORMATTER = _TraceFormatter()


@dataclass(slots=True)
class Trail:
    """Collects the steps of the explanation while a case is evaluated.

    `Trail(record=False)` drops them (plain `evaluate`); otherwise each `say` keeps its clause,
    templates and values, and `lines` renders them on demand.
    """

    record: bool = True
    steps: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    def say(self, clause: str, ko: str, en: str, **values: Any) -> None:
        """A trace line; with `values`, `ko` and `en` are templates filled in when read."""
        if self.record:
            self.steps.append((clause, ko, en, values))

    @property
    def lines(self) -> list[TraceLine]:
        """The bilingual trace, rendered now."""
        return [
            TraceLine(clause, *(_render(text, values) for text in (ko, en)))
            for clause, ko, en, values in self.steps
        ]


def _render(template: str, values: dict[str, Any]) -> str:
    return _FORMATTER.vformat(template, (), values) if values else template


@dataclass(slots=True)
class CycleOutcome:
    """One evaluated period (eco-car cycle, season, pilot) with exact values inside."""

    start_on: date
    end_on: date
    days: int
    status: str
    reasons: list[str]
    baseline_km: Fraction | Ratio | None = None
    driven_km: Fraction | Ratio | None = None
    reduction_km: Fraction | Ratio | None = None
    reduction_pct: Fraction | Ratio | int | None = None
    kind: str | None = None
    mileage: int = 0
    payment_on: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The RULES-CLI cycle shape: floats for display (E-13), ISO dates, nulls where void."""
        shown = self.status not in (VOID, NOT_EVALUATED)
        pct = self.reduction_pct
        result: dict[str, Any] = {
            "start": self.start_on.isoformat(),
            "end": self.end_on.isoformat(),
            "days": self.days,
            "baseline_km": display(self.baseline_km) if shown else None,
            "driven_km": display(self.driven_km) if shown else None,
            "reduction_km": display(self.reduction_km) if shown else None,
            "reduction_pct": (
                None if not shown or pct is None else pct if isinstance(pct, int) else display(pct)
            ),
        }
        paid = self.mileage > 0
        extra = self.extra
        for key, value in extra.items():  # e.g. the pilot's six_month_km (PILOT-5)
            if key.endswith("_km"):
                result[key] = display(value) if shown and value is not None else None
        result["status"] = self.status
        result["kind"] = self.kind if paid else None
        result["mileage"] = self.mileage
        result["payment_on"] = self.payment_on.isoformat() if paid and self.payment_on else None
        for key, value in extra.items():  # e.g. the pilot's payment_by (PILOT-8)
            if not key.endswith("_km"):
                shown_value = value.isoformat() if isinstance(value, date) else value
                result[key] = shown_value if paid else None
        result["reasons"] = list(self.reasons)
        return result
