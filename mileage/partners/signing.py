"""Signed partner readings (ECO-18, PILOT-3 OBD): HMAC-SHA256 over a canonical message.

A partner (an insurer's OBD service, a carmaker's telematics service) signs each odometer reading
with its signing secret; the platform recomputes the signature and refuses a reading whose
signature does not match (a tampered value, device id or timestamp). Pure Python, no Django.

Canonical message: the fields below, in this order, joined by newlines, UTF-8:
    v1, key id, vehicle reference, odometer km (integer), device id, timestamp (ISO 8601 as sent)
Signature: lowercase hex of HMAC-SHA256(secret, message).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

VERSION = "v1"


def canonical_message(
    *, key_id: str, vehicle_ref: str, odometer_km: int, device_id: str, timestamp: str
) -> bytes:
    fields = [VERSION, key_id, vehicle_ref, str(int(odometer_km)), device_id, timestamp]
    for value in fields:
        if "\n" in value:
            raise ValueError("signed fields must not contain newlines")
    return "\n".join(fields).encode("utf-8")


def sign(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, message: bytes, signature: str) -> bool:
    """Constant-time comparison; any malformed signature is simply not valid."""
    if not isinstance(signature, str) or len(signature) != 64:
        return False
    return hmac.compare_digest(sign(secret, message), signature.lower())


def new_secret() -> str:
    return secrets.token_urlsafe(32)
