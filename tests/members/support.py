"""Helpers for the joining tests: read the code the local SMS gateway recorded, walk the
sign-up steps through the real pages."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from mileage.members.models import SmsMessage

# A "new resident" of the demo registry (README): owner of 57누1203 in 마포구.
NEW_RESIDENT = {"name": "박새봄", "birth_date": "1991-04-17", "phone": "010-2741-3391"}
CONSENTS = {"consent_terms": "on", "consent_personal_info": "on"}


def last_code(phone: str) -> str:
    """The 6-digit code in the newest message the local gateway recorded for `phone`."""
    body = SmsMessage.objects.filter(phone=phone).order_by("-id").values_list("body", flat=True)[0]
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


def start_signup(client: Client, **identity: Any) -> Any:
    data = {**CONSENTS, **NEW_RESIDENT, **identity}
    return client.post("/signup/", data)


def verify(client: Client, phone: str = NEW_RESIDENT["phone"], code: str | None = None) -> Any:
    return client.post("/signup/verify/", {"code": code or last_code(phone)})


def finish(client: Client, username: str = "saebom", district: str = "11440", **extra: Any) -> Any:
    data = {
        "username": username,
        "password1": "봄날의-자전거-2026",
        "password2": "봄날의-자전거-2026",
        "district": district,
        **extra,
    }
    return client.post("/signup/account/", data)


def sign_up(client: Client, username: str = "saebom", **identity: Any) -> Any:
    """All three steps; returns the last response."""
    response = start_signup(client, **identity)
    assert response.status_code == 302, response.content.decode()[:2000]
    phone = identity.get("phone", NEW_RESIDENT["phone"])
    from mileage.members.phones import normalise_phone

    response = verify(client, normalise_phone(phone))
    assert response.status_code == 302, response.content.decode()[:2000]
    return finish(client, username)


class RecordingGateway:
    """Another SMS gateway (as production would plug in): keeps what it was asked to send."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, body: str) -> None:
        self.sent.append((phone, body))
