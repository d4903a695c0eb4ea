"""Korean mobile numbers in any common format → one stored form (010-1234-5678)."""

from __future__ import annotations

import re

from .errors import BadPhone

MOBILE_RE = re.compile(r"^(?:010\d{8}|01[16789]\d{7,8})$")  # 010 numbers have 11 digits


def normalise_phone(raw: str) -> str:
    """'010-1234-5678', '01012345678', '+82 10 1234 5678', '(010) 1234.5678' → '010-1234-5678'.

    Raises BadPhone for anything that is not a Korean mobile number."""
    digits = re.sub(r"[\s\-.()]", "", raw or "")
    if digits.startswith("+82"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0082"):
        digits = "0" + digits[4:].lstrip("0")
    if not MOBILE_RE.match(digits):
        raise BadPhone()
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
