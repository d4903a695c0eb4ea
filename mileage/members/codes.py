"""6-digit phone codes: sent through the SMS gateway, checked with a keyed hash, five tries
(`MILEAGE_PHONE_CODE_MAX_TRIES`) and then a wait (`MILEAGE_PHONE_CODE_WAIT_SECONDS`) during
which that phone number gets no new code."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import CodeExpired, TooManyTries, VerificationMissing, WrongCode
from .models import PhoneCode
from .sms import get_sms_gateway


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("MILEAGE_PHONE_CODE_TTL_SECONDS", 180))


def max_tries() -> int:
    return _setting("MILEAGE_PHONE_CODE_MAX_TRIES", 5)


def wait_after_lock() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("MILEAGE_PHONE_CODE_WAIT_SECONDS", 600))


def _hash(token: str, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return f"인증번호를 {max_tries()}번 틀렸습니다. {minutes}분 뒤에 다시 시도해 주세요."


def check_not_locked(phone: str) -> None:
    now = timezone.now()
    lock = (
        PhoneCode.objects.filter(phone=phone, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    if lock is not None:
        raise TooManyTries(_locked_message(lock, now), field="phone")


def send_code(phone: str, purpose: str, payload: dict[str, Any], *, deliver: bool = True) -> str:
    """Create a code for `phone` and send it; returns the token that names it. With
    `deliver=False` nothing is sent (a reset for an unknown account looks the same from
    outside but can never be confirmed)."""
    check_not_locked(phone)
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PhoneCode.objects.create(
            token=token,
            purpose=purpose,
            phone=phone,
            code_hash=_hash(token, code) if deliver else "",
            payload=payload,
            expires_at=timezone.now() + code_ttl(),
        )
        if deliver:
            minutes = int(code_ttl().total_seconds() // 60)
            get_sms_gateway().send(
                phone, f"[서울 마일리지] 인증번호 {code} ({minutes}분 안에 입력해 주세요)"
            )
    return token


def confirm_code(token: str, code: str, purpose: str) -> PhoneCode:
    """Check a typed code. Wrong: WrongCode with the tries left (the fifth wrong try locks the
    number); late: CodeExpired; a used or unknown token: VerificationMissing. A wrong try is
    counted even though the call raises (the count is committed before the error leaves)."""
    now = timezone.now()
    typed = (code or "").strip()
    error: Exception | None = None
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(token=token or "", purpose=purpose, verified_at__isnull=True)
            .first()
        )
        if row is None:
            raise VerificationMissing("인증번호를 다시 받아 주세요.", field="code")
        if row.locked_until is not None and row.locked_until > now:
            raise TooManyTries(_locked_message(row.locked_until, now))
        if row.tries >= max_tries():
            raise TooManyTries("인증번호를 다시 받아 주세요.")
        if row.expires_at <= now:
            raise CodeExpired()
        if not (typed.isdigit() and len(typed) == 6) or not (
            row.code_hash and hmac.compare_digest(row.code_hash, _hash(row.token, typed))
        ):
            row.tries += 1
            left = max_tries() - row.tries
            if left <= 0:
                row.locked_until = now + wait_after_lock()
                error = TooManyTries(_locked_message(row.locked_until, now))
            else:
                error = WrongCode(f"인증번호가 맞지 않습니다. {left}번 더 입력할 수 있습니다.")
            row.save(update_fields=["tries", "locked_until"])
        else:
            row.verified_at = now
            row.save(update_fields=["verified_at"])
    if error is not None:
        raise error
    return row
