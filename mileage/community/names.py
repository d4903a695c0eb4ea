"""Names everyone sees (crew names, nicknames) and invitation codes."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

from . import rates

# Invitation codes: no 0/O, 1/I/L, so a code read aloud or copied by hand is never ambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """What is stored and shown: NFC, runs of spaces made one, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def key(text: str) -> str:
    """The comparison form: case and spaces do not make a different name."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def is_offensive(text: str, on: dt.date) -> bool:
    """WALK-5 [interp]: the name contains a word of `walk.community_blocked_words`."""
    k = key(text)
    return any(key(word) in k for word in rates.blocked_words(on))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_key(text: str) -> str:
    """A code as typed (lower case, spaces or a hyphen) in its stored form."""
    return re.sub(r"[\s-]", "", text or "").upper()
