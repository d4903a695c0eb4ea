"""Strict input at the API edge (issue #13, findings 5 and 6; ASVS V5.1).

Field types for django-ninja schemas and parameters. Each refuses what it cannot take, with 422
and a Korean message in the API's usual `{code, message, errors}` shape (`mileage.site.api`
turns the pydantic error types into Korean with `korean_problem`); nothing is cut, rounded or
coerced:

    class DonationIn(Schema):
        beneficiary: Id                 # a JSON integer 1..2**63-1 (no true, no "1")
        amount: Amount                  # a JSON integer 1..100,000,000
        note: Text(200, multiline=True) # at most 200 characters, no control characters but \\n

- `Int(ge, le)` / `Km` / `Amount` / `Id`: JSON integers only (strict: `true`, `1.0` and `"1"`
  are refused) within bounds, so a 309-digit number never reaches the rules or the database.
  The `Form*` / `Query*` variants parse the text of a form field or query string (lax) with the
  same bounds.
- `Text(max_length)`: a string of at most `max_length` characters, refused when longer (never
  cut), without control characters (single-line by default; `multiline=True` allows line breaks
  and tabs).
- `Day` / `PastDay` / `Moment` / `PastMoment`: dates and times within the programmes' years
  (from `FIRST_DAY`, at most a year ahead; `Past*`: not after today / now).
- `json_too_deep(body)`: bodies nested deeper than `MAX_JSON_DEPTH` are refused before anything
  parses them (`mileage.web.middleware.JsonDepthMiddleware`), so no parser can hit Python's
  recursion limit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.utils import timezone
from pydantic import AfterValidator, Field, StringConstraints

# C-4: the largest odometer value the rules take (the same as mileage.rules.batch.limits.MAX_KM,
# which is not imported here because it loads numba; tests/core/test_input.py compares them).
MAX_KM = 10_000_000
# The largest amount of mileage (1 mileage = 1 won) one request may move: 100,000,000.
MAX_AMOUNT = 100_000_000
MAX_ID = 2**63 - 1  # a bigint primary key
MAX_INT32 = 2**31 - 1  # an IntegerField / PositiveIntegerField
MAX_STEPS = 10_000_000
# The first day of Seoul's mileage programmes (에코마일리지, 2009): no date the platform takes is
# earlier, and none is more than a year ahead.
FIRST_DAY = dt.date(2009, 1, 1)
MAX_DAYS_AHEAD = 366
MAX_JSON_DEPTH = 32

# C0 and C1 controls, DEL, and the Unicode line / paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("줄바꿈이나 제어 문자는 쓸 수 없습니다.")
    return value


def _no_control_multiline(value: str) -> str:
    if _CONTROL_MULTILINE.search(value):
        raise ValueError("제어 문자는 쓸 수 없습니다.")
    return value


def Text(max_length: int, *, min_length: int = 0, multiline: bool = False) -> Any:
    """A string of `min_length`..`max_length` characters without control characters."""
    return Annotated[
        str,
        StringConstraints(strict=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_multiline if multiline else _no_control),
    ]


def Int(ge: int = 0, le: int = MAX_AMOUNT) -> Any:
    """A JSON integer (strict: no bool, float or string) in `ge`..`le`."""
    return Annotated[int, Field(strict=True, ge=ge, le=le)]


def LaxInt(ge: int = 0, le: int = MAX_AMOUNT) -> Any:
    """An integer from the text of a form field, query string or path, in `ge`..`le`."""
    return Annotated[int, Field(ge=ge, le=le)]


StrictBool = Annotated[bool, Field(strict=True)]  # true / false only (no "yes", 1 or "1")
Km = Int(0, MAX_KM)
Amount = Int(1, MAX_AMOUNT)
Id = Int(1, MAX_ID)
Steps = Int(1, MAX_STEPS)
FormKm = LaxInt(0, MAX_KM)
QueryKm = FormKm
PathId = LaxInt(1, MAX_ID)


def within_programme_years(value: dt.date) -> dt.date:
    latest = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if not FIRST_DAY <= value <= latest:
        raise ValueError(f"날짜는 {FIRST_DAY.year}년 1월 1일부터 1년 뒤까지만 입력할 수 있습니다.")
    return value


def not_in_future(value: dt.date) -> dt.date:
    within_programme_years(value)
    if value > timezone.localdate():
        raise ValueError("오늘 이후의 날짜는 입력할 수 없습니다.")
    return value


def moment_within_programme_years(value: dt.datetime) -> dt.datetime:
    within_programme_years(value.date())  # first, in its own offset: 0001-01-01 cannot convert
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def moment_not_in_future(value: dt.datetime) -> dt.datetime:
    value = moment_within_programme_years(value)
    if value > timezone.now() + dt.timedelta(minutes=5):  # a partner's clock may run ahead
        raise ValueError("현재 시각 이후의 일시는 입력할 수 없습니다.")
    return value


Day = Annotated[dt.date, AfterValidator(within_programme_years)]
PastDay = Annotated[dt.date, AfterValidator(not_in_future)]
Moment = Annotated[dt.datetime, AfterValidator(moment_within_programme_years)]
PastMoment = Annotated[dt.datetime, AfterValidator(moment_not_in_future)]

# An idempotency key: 1..100 of letters, digits and . _ : - (a UUID fits).
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"
IdempotencyKey = Annotated[
    str, StringConstraints(strict=True, pattern=IDEMPOTENCY_KEY_PATTERN, max_length=100)
]


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays / objects deeper than `limit` (strings skipped).

    Linear in the body (two regular-expression passes, no parse), so a body nested 100,000
    deep is refused without recursion; a body that is not JSON is left to the parser."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b"", body)):
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def korean_problem(error: dict[str, Any]) -> str:
    """A pydantic error (type, ctx, msg) in Korean for the API's 422 answer."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", ""))) or "값이 올바르지 않습니다."
    if kind == "missing":
        return "필수 항목입니다."
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return "정수(숫자)로 입력해 주세요."
    if kind in {"bool_type", "bool_parsing"}:
        return "true 또는 false여야 합니다."
    if kind == "string_type":
        return "문자열이어야 합니다."
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}자 이하로 입력해 주세요."
    if kind == "string_too_short":
        return "값을 입력해 주세요." if ctx.get("min_length") == 1 else "값이 너무 짧습니다."
    if kind == "string_pattern_mismatch":
        return "형식이 올바르지 않습니다."
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{_number(ctx.get('ge', ctx.get('gt')))} 이상이어야 합니다."
    if kind in {"less_than_equal", "less_than"}:
        return f"{_number(ctx.get('le', ctx.get('lt')))} 이하여야 합니다."
    if kind.startswith("date"):
        return "날짜는 YYYY-MM-DD 형식이어야 합니다."
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return "일시는 ISO 8601 형식(예: 2015-01-31T09:00:00+09:00)이어야 합니다."
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "JSON 객체여야 합니다."
    if kind in {"list_type", "too_long", "too_short"}:
        return "목록의 형식이나 길이가 올바르지 않습니다."
    if kind in {"literal_error", "enum"}:
        return "허용된 값 중 하나여야 합니다."
    return "값이 올바르지 않습니다."


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)
