"""The strict field types of `mileage.core.input` (issue #13, findings 5 and 6): refused, never
cut or coerced, with Korean problems."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from mileage.core import input as strict
from mileage.core.input import (
    Amount,
    Day,
    Id,
    Km,
    PastDay,
    PastMoment,
    StrictBool,
    Text,
    json_too_deep,
    korean_problem,
)


class Shape(BaseModel):
    amount: Amount | None = None
    km: Km | None = None
    id: Id | None = None
    flag: StrictBool | None = None
    name: Text(5) | None = None
    line: Text(20) | None = None
    note: Text(20, multiline=True) | None = None
    day: Day | None = None
    past: PastDay | None = None
    moment: PastMoment | None = None


def problems(**data: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Shape.model_validate(data)
    return [korean_problem(e) for e in caught.value.errors()]


@pytest.mark.parametrize("value", [True, "1", 1.0, 0, -5, 100_000_001])
def test_amount_is_a_bounded_json_integer_only(value: object) -> None:
    [problem] = problems(amount=value)
    assert problem in {
        "정수(숫자)로 입력해 주세요.",
        "1 이상이어야 합니다.",
        "100,000,000 이하여야 합니다.",
    }


def test_a_309_digit_km_is_refused_not_overflowed() -> None:
    assert problems(km=int("9" * 309)) == ["10,000,000 이하여야 합니다."]
    assert Shape.model_validate({"km": 10_000_000}).km == 10_000_000


def test_km_bound_is_the_rules_batch_bound() -> None:
    from mileage.rules.batch.limits import MAX_KM

    assert strict.MAX_KM == MAX_KM


def test_strict_bool_refuses_strings_and_numbers() -> None:
    assert problems(flag="yes") == ["true 또는 false여야 합니다."]
    assert problems(flag=1) == ["true 또는 false여야 합니다."]


def test_text_longer_than_its_maximum_is_refused_never_cut() -> None:
    assert problems(name="가나다라마바") == ["5자 이하로 입력해 주세요."]
    assert Shape.model_validate({"name": "가나다라마"}).name == "가나다라마"


@pytest.mark.parametrize("value", ["12가3456\n", "a\x00b", "tab\there", "a\u2028b", "\x7f"])
def test_single_line_text_refuses_control_characters(value: str) -> None:
    assert problems(line=value) == ["줄바꿈이나 제어 문자는 쓸 수 없습니다."]


def test_multiline_text_takes_line_breaks_but_no_other_control_character() -> None:
    assert Shape.model_validate({"note": "첫 줄\r\n둘째 줄\t끝"}).note == "첫 줄\r\n둘째 줄\t끝"
    assert problems(note="a\x00b") == ["제어 문자는 쓸 수 없습니다."]


def test_dates_stay_within_the_programme_years() -> None:
    assert "2009년" in problems(day="0001-01-01")[0]
    assert "2009년" in problems(day="9999-12-31")[0]
    assert Shape.model_validate({"day": "2014-10-15"}).day == dt.date(2014, 10, 15)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert problems(past=tomorrow.isoformat()) == ["오늘 이후의 날짜는 입력할 수 없습니다."]
    assert "2009년" in problems(moment="9999-12-31T00:00:00+09:00")[0]
    assert problems(moment=f"{tomorrow.isoformat()}T00:00:00+09:00") == [
        "현재 시각 이후의 일시는 입력할 수 없습니다."
    ]


def test_json_depth_is_measured_without_recursion() -> None:
    assert json_too_deep(b"[" * 3000 + b"]" * 3000)
    assert json_too_deep(b"[" * 100_000)
    assert not json_too_deep(b'{"rows": [' + b'{"a": [1, 2]},' * 5000 + b'{"a": 1}]}')
    assert not json_too_deep(b'{"text": "' + b"[" * 500 + b'"}')  # brackets inside a string
    assert not json_too_deep(b'{"text": "\\"[[[[", "b": [[1]]}', limit=3)  # escaped quote
