"""Checking a proposed entry (issue #14) with the rules' own parser and unit checks.

The rules stay free of Django: this module hands them plain data (`with_overrides` on the
parameters in force) and turns their refusal into a Korean message. Adds the city's own checks:
a date key may not come before the last value it would follow, and no value in force for a run
already signed off may change (refused naming the run).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from mileage.core.parameters import approved_overrides, layered, override_key
from mileage.evaluations.models import EvaluationRun, RunStatus
from mileage.rules.errors import ParameterFileError
from mileage.rules.params import Parameter, Parameters

from .errors import BadParameterValue, Retroactive, UnknownParameter

YEAR_RE = re.compile(r"^\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SETTLED = (RunStatus.SIGNED_OFF, RunStatus.PAID)

# The rules' refusals (English, for developers) by what a city manager should read instead.
PROBLEMS_KO = (
    ("is not an integer", "정수여야 합니다"),
    ("is not a number", "숫자여야 합니다"),
    ("is not a date", "날짜여야 합니다"),
    ("is not MM-DD", "월-일(MM-DD) 형식이어야 합니다"),
    ("5-digit district codes", "5자리 자치구 코드 목록이어야 합니다"),
    ("non-empty list like the file's", "기존 값과 같은 형식의 표(목록)여야 합니다"),
    ("needs exactly the fields", "표의 각 행은 기존 값과 같은 항목을 가져야 합니다"),
    ("is not a single value", "표가 아니라 하나의 값이어야 합니다"),
    ("is not a str", "글자 값이어야 합니다"),
)


def parse_value(text: str) -> Any:
    """What the form's value box holds: JSON (a number, a table) or else plain text."""
    text = text.strip()
    if not text:
        raise BadParameterValue("값을 입력하세요.")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _korean(problem: str, unit: str) -> str:
    for english, korean in PROBLEMS_KO:
        if english in problem:
            return f"값의 형식이나 단위가 맞지 않습니다: {korean} (단위 {unit})."
    return "값의 형식이나 단위가 맞지 않습니다."


def parameter_info(params: Parameters, name: str) -> Parameter:
    if name not in params.items:
        raise UnknownParameter(f"알 수 없는 파라미터입니다: {name}")
    return params.items[name]


def parse_key(parameter: Parameter, key: str) -> int | dt.date:
    key = key.strip()
    if parameter.by_year:
        if not YEAR_RE.match(key) or not 1900 <= int(key) <= 2999:
            raise BadParameterValue("이 값은 통계 연도(예: 2025)로 입력해야 합니다.")
        return int(key)
    try:
        if DATE_RE.match(key):
            return dt.date.fromisoformat(key)
    except ValueError:
        pass
    raise BadParameterValue("적용 시작일을 올바른 날짜로 입력해야 합니다.")


def _not_before_last(parameter: Parameter, key: int | dt.date) -> None:
    """A dated entry either replaces a date already listed or follows the last one."""
    if parameter.by_year or key in parameter.keys or not parameter.keys:
        return
    last = parameter.keys[-1]
    if key < last:
        raise BadParameterValue(
            f"적용 시작일은 지금 마지막 값의 시작일({last.year}년 {last.month}월 {last.day}일)"
            " 뒤여야 합니다. 그 날짜의 값을 바꾸려면 같은 날짜로 제안하세요."
        )


def first_affected_day(parameter: Parameter, key: int | dt.date) -> dt.date | None:
    """The first day whose value in force the entry changes, for the retroactivity check.

    A date key changes the value from that day on. A year key changes nothing in force when the
    year is new (there was no value to use); replacing a listed year's statistic changes every
    evaluation from the next year on (ECO-6: the average of the year before enrolment)."""
    if isinstance(key, dt.date):
        return key
    if key not in parameter.keys:
        return None
    return dt.date(key + 1, 1, 1)


def check_not_retroactive(parameter: Parameter, key: int | dt.date) -> None:
    first = first_affected_day(parameter, key)
    if first is None:
        return
    run = (
        EvaluationRun.objects.filter(status__in=SETTLED, window_to__gte=first)
        .order_by("window_from", "id")
        .first()
    )
    if run is not None:
        raise Retroactive(
            f"{run.pk}번 평가({run.get_programme_display()},"
            f" {run.window_from.year}. {run.window_from.month}. {run.window_from.day}. ~"
            f" {run.window_to.year}. {run.window_to.month}. {run.window_to.day}.)가 이미"
            f" {run.get_status_display()} 상태입니다. 그 평가에 쓰였을 수 있는 값은 소급해"
            " 바꿀 수 없습니다. 그 뒤의 날짜로 제안하세요."
        )


def check_entry(name: str, key: str, value: Any, source: str) -> Parameters:
    """Refuse a bad entry with a Korean message; return the parameters it would give.

    Checked against the YAML with every approved change layered on top (at approval, the
    change itself is still proposed, so it is checked again against what is in force then)."""
    overrides = approved_overrides()
    params = layered(overrides)
    parameter = parameter_info(params, name)
    if not source.strip():
        raise BadParameterValue("근거 자료(문서나 통계)를 입력하세요.")
    parsed_key = parse_key(parameter, key)
    _not_before_last(parameter, parsed_key)
    check_not_retroactive(parameter, parsed_key)
    return layer_entry(params, name, key, value, source)


def layer_entry(params: Parameters, name: str, key: str, value: Any, source: str) -> Parameters:
    """`params` with one entry layered on top, checked by the rules' parser and units (the
    propose form's checks, also the budget what-if's): unknown name, a key that is not a year or
    a date, a wrong unit or shape are refused with a Korean message."""
    parameter = parameter_info(params, name)
    parse_key(parameter, key)
    try:
        return params.with_overrides(
            {name: {override_key(key.strip()): {"value": value, "source": source.strip()}}}
        )
    except ParameterFileError as exc:
        raise BadParameterValue(_korean(exc.problem, parameter.unit), detail=exc.problem) from None
