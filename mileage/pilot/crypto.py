"""Encryption at rest for bank account numbers (PILOT-8: 은행계좌 포함 증빙).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys from the environment variable
`BANK_ACCOUNT_KEY`: one or more url-safe base64 keys, comma-separated, newest first, so keys can
be rotated (MultiFernet encrypts with the first and decrypts with any). Settings put a fixed
development key there only when DEBUG is on, and refuse to start without one otherwise.
The clear number never leaves this module except through `reveal()`, which only the city's
payment export calls.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ImproperlyConfigured("BANK_ACCOUNT_KEY is not set")
    try:
        return MultiFernet([Fernet(k.encode()) for k in parts])
    except ValueError as exc:  # do not echo the key itself
        raise ImproperlyConfigured(
            "BANK_ACCOUNT_KEY: each key must be 32 url-safe base64 bytes"
        ) from exc


def _box() -> MultiFernet:
    return _fernet(getattr(settings, "BANK_ACCOUNT_KEY", ""))


def normalise_account_number(raw: str) -> str:
    """Digits only: '110-123-456789' and '110 123 456789' are the same account."""
    return re.sub(r"[\s\-]", "", raw or "")


def encrypt(clear: str) -> str:
    return _box().encrypt(clear.encode()).decode("ascii")


def reveal(token: str) -> str:
    """The clear number: for the city's bank-transfer export only."""
    try:
        return _box().decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a bank account could not be decrypted: BANK_ACCOUNT_KEY does not match"
        ) from exc


def mask(last_digits: str) -> str:
    """What everyone but the payment export sees: '****-****-6789'."""
    return f"****-****-{last_digits}" if last_digits else "미등록"
