"""Idempotency keys on every request that moves money (issue #13, finding 7; ASVS V11.1.4).

A spend, coupon purchase, donation or redemption names itself with a key the caller makes (the
`Idempotency-Key` header or a `key` field on the API; a hidden field made when the page is
rendered on the pages). The first request with a key runs and its answer is stored with its
postings, in one database transaction; a repeated or parallel request with the same key gets
that stored answer and charges nothing:

    key = idempotency.key_of(request, payload.key)               # 428 when there is none
    status, body = idempotency.once(
        idempotency.caller_of(request.user), key, "walking.coupon.buy", {"coupon": coupon_id},
        lambda: (200, {"id": ..., "code": ...}),
    )

Parallel requests: the stored row's unique (caller, key) index makes the second insert wait
for the first transaction; when it commits, the second gets IntegrityError, rolls back
everything it did and answers the stored row. A refused request (a `DomainError`) stores
nothing, so the caller may try again with the same key. The same key with another operation or
input is refused (409 `ledger.idempotency_conflict`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from .errors import IdempotencyConflict, LedgerError
from .models import IdempotentResponse

HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"[A-Za-z0-9._:-]{1,100}")


class KeyRequired(LedgerError):
    code = "request.idempotency_key_required"
    message = (
        "같은 요청이 두 번 처리되지 않도록 Idempotency-Key 헤더(또는 key 항목)에 요청마다 "
        "새로운 값을 보내 주세요."
    )
    status = 428


class KeyInvalid(LedgerError):
    code = "request.idempotency_key_invalid"
    message = "Idempotency-Key는 영문자, 숫자와 . _ : - 로 된 1~100자여야 합니다."
    status = 422


class KeysDiffer(LedgerError):
    code = "request.idempotency_keys_differ"
    message = "Idempotency-Key 헤더와 key 항목의 값이 서로 다릅니다."
    status = 422


def key_of(request: HttpRequest, field: str | None = None) -> str:
    """The request's idempotency key: the header, or the `key` field (both: they must agree)."""
    header = request.headers.get(HEADER)
    if header is not None and field is not None and header != field:
        raise KeysDiffer()
    key = header if header is not None else field
    if not key:
        raise KeyRequired()
    if not KEY_RE.fullmatch(key):
        raise KeyInvalid()
    return key


def page_key(request: HttpRequest) -> str:
    """The hidden `key` field of a page form (made when the form was rendered)."""
    key = request.POST.get("key", "")
    if not KEY_RE.fullmatch(key):
        raise KeyInvalid(
            "신청 정보가 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
            status=400,
        )
    return key


def caller_of(actor: Any, *, partner: bool = False) -> str:
    """`user:<id>` for a person, `partner:<id>` for a partner calling with its API key."""
    return f"{'partner' if partner else 'user'}:{actor.pk}"


def fingerprint(operation: str, fields: dict[str, Any]) -> str:
    text = json.dumps([operation, fields], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored(caller: str, key: str, digest: str) -> tuple[int, dict[str, Any]] | None:
    row = IdempotentResponse.objects.filter(caller=caller, key=key).first()
    if row is None:
        return None
    if row.fingerprint != digest:
        raise IdempotencyConflict(
            "같은 Idempotency-Key로 다른 내용의 요청이 이미 처리되었습니다. "
            "새 요청에는 새로운 값을 보내 주세요."
        )
    return row.status, row.body


def once(
    caller: str,
    key: str,
    operation: str,
    fields: dict[str, Any],
    run: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run `run` once per (caller, key) and return its (status, JSON body); see the module."""
    digest = fingerprint(operation, fields)
    stored = _stored(caller, key, digest)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            row = IdempotentResponse.objects.create(
                caller=caller, key=key, operation=operation, fingerprint=digest, status=0, body={}
            )
            status, body = run()
            row.status, row.body = status, body
            row.save(update_fields=["status", "body"])
    except IntegrityError:  # a parallel request with this key committed first
        stored = _stored(caller, key, digest)
        if stored is None:
            raise
        return stored
    return status, body
