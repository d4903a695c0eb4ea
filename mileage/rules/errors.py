"""Errors of the rules engine (STYLE.md §5): bad input and missing parameters.

"No award", "void" and "not evaluated" are outcomes with reasons, never exceptions.
"""

from __future__ import annotations

from datetime import date


class RulesError(Exception):
    """Base class: every error the engine raises names a field (or parameter) and a problem."""

    field: str
    problem: str

    def line(self) -> str:
        """`<field>: <what is wrong>`, the CLI's error text (RULES-CLI)."""
        return f"{self.field}: {self.problem}"

    def __str__(self) -> str:
        return self.line()


class InvalidCase(RulesError):
    """A malformed case: missing or mistyped field, impossible dates, odometer going back (E-1)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem = problem


class MissingParameter(RulesError):
    """A dated parameter has no value for the asked date or year; never replaced by a default."""

    def __init__(self, name: str, key: date | int | str) -> None:
        super().__init__(name, key)
        self.name = name
        self.key = key
        self.field = name
        if isinstance(key, int):
            self.problem = f"{key}년 값이 없습니다 (no value for the year {key})"
        else:
            self.problem = f"{key} 기준 값이 없습니다 (no value in force on {key})"


class ParameterFileError(Exception):
    """A parameter file that fails validation at load time; the message names the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
