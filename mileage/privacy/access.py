"""Recording reads of personal data (개인정보 접근기록) and asking downloads for a reason.

    record(request, AccessKind.PHOTO, subject=owner, record=f"photo:{photo.pk}")
    problem = reason_problem(request.POST.get("reason"))   # "" when the reason is acceptable

Views and API operations call `record` after they have decided that the caller may see the data
(never for a refused request). Citizens reading their own data are not recorded: a citizen only
ever sees their own records (`visible_to`), so `record` returns None for them and for anyone
reading their own data. Officials, the city, partners' staff and partners' API keys are recorded.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from mileage.accounts import scope
from mileage.partners.auth import api_key_of

from .models import DOWNLOADS, AccessKind, PersonalDataAccess

REASON_MAX = 300
REASON_MIN = 2


class ReasonRequired(ValueError):
    """A download of personal data without an acceptable reason (Korean message)."""


def reason_problem(raw: Any) -> str:
    """A Korean message when `raw` is not an acceptable download reason, else ""."""
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) < REASON_MIN:
        return "개인정보가 담긴 파일을 내려받는 사유를 입력해 주세요."
    if len(text) > REASON_MAX:
        return f"사유는 {REASON_MAX}자 이내로 입력해 주세요."
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return "사유에 제어 문자를 쓸 수 없습니다."
    return ""


def _actor(request: Any) -> tuple[Any, str, Any, str] | None:
    """(user, role, partner, key prefix) of whoever makes the request; None when not recorded."""
    key = api_key_of(request)
    if key is not None:
        return None, "partner-key", key.partner, key.prefix
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        user = getattr(request, "auth", None)
    if scope.is_official(user):
        return user, "official", None, ""
    if scope.is_city(user):
        return user, "city", None, ""
    if scope.is_partner_user(user):
        return user, "partner", scope.partner_of(user), ""
    if getattr(user, "is_staff", False) and not scope.is_citizen(user):
        return user, "staff", None, ""
    return None  # citizens (their own data only) and anonymous callers (refused earlier)


def record(
    request: Any,
    kind: AccessKind,
    *,
    record: str,
    subject: Any = None,
    subject_count: int | None = None,
    reason: str = "",
) -> PersonalDataAccess | None:
    """Write one access-log row for this read (None when the reader is not recorded).

    `subject` is the citizen whose data was read; for a list or a file give `subject_count`
    (how many citizens it holds) instead. Downloads (`DOWNLOADS`) need a reason."""
    actor = _actor(request)
    if actor is None:
        return None
    user, role, partner, prefix = actor
    if subject is not None and user is not None and subject.pk == user.pk:
        return None
    if subject is None and not subject_count:
        return None  # an empty list or file holds nobody's data
    if kind in DOWNLOADS and reason_problem(reason):
        raise ReasonRequired(reason_problem(reason))
    return PersonalDataAccess.objects.create(
        actor=user,
        actor_role=role,
        partner=partner,
        api_key_prefix=prefix,
        kind=kind,
        subject=subject,
        subject_count=1 if subject is not None else (subject_count or 0),
        record=record[:100],
        reason=reason.strip(),
        path=getattr(request, "path", "")[:300],
        ip=request.META.get("REMOTE_ADDR") or None,
    )
