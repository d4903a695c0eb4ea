"""The partner signature helper (ECO-18, PILOT-3 OBD): HMAC-SHA256 over a canonical message."""

from __future__ import annotations

import hashlib
import hmac

from mileage.partners import signing

FIELDS = dict(
    key_id="sk_hicar_1",
    vehicle_ref="12가3456",
    odometer_km=52000,
    device_id="OBD-7",
    timestamp="2014-10-16T09:00:00+09:00",
)


def test_eco18_signature_is_hmac_sha256_of_the_documented_message() -> None:
    message = signing.canonical_message(**FIELDS)
    assert message == "v1\nsk_hicar_1\n12가3456\n52000\nOBD-7\n2014-10-16T09:00:00+09:00".encode()
    expected = hmac.new(b"s3cret", message, hashlib.sha256).hexdigest()
    assert signing.sign("s3cret", message) == expected
    assert signing.verify("s3cret", message, expected)
    assert signing.verify("s3cret", message, expected.upper())


def test_eco18_tampered_field_wrong_secret_or_garbage_does_not_verify() -> None:
    good = signing.sign("s3cret", signing.canonical_message(**FIELDS))
    tampered = signing.canonical_message(**{**FIELDS, "odometer_km": 51000})
    assert not signing.verify("s3cret", tampered, good)
    assert not signing.verify("other", signing.canonical_message(**FIELDS), good)
    assert not signing.verify("s3cret", signing.canonical_message(**FIELDS), "zz")
