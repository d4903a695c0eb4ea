"""Mobile numbers in any common format are one number; anything else is refused in Korean."""

from __future__ import annotations

import pytest

from mileage.members.errors import BadPhone
from mileage.members.phones import normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "010-1234-5678",
        "01012345678",
        "+82 10 1234 5678",
        "+82-10-1234-5678",
        "010 1234 5678",
        "(010) 1234.5678",
        "+821012345678",
        "0082 10 1234 5678",
    ],
)
def test_common_formats_give_the_same_number(raw: str) -> None:
    assert normalise_phone(raw) == "010-1234-5678"


def test_old_ten_digit_numbers_keep_three_digit_middle() -> None:
    assert normalise_phone("011-234-5678") == "011-234-5678"


@pytest.mark.parametrize("raw", ["", "02-123-4567", "010-1234-567", "phone", "+1 10 1234 5678"])
def test_other_input_is_refused_with_a_korean_message(raw: str) -> None:
    with pytest.raises(BadPhone) as error:
        normalise_phone(raw)
    assert "휴대전화 번호를 확인해 주세요" in error.value.message
