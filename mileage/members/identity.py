"""Identity verification adapter (본인인증).

Production plugs in a PASS / mobile-carrier verification service through
`settings.MILEAGE_IDENTITY_PROVIDER`: it returns the person's CI (연계정보, the same for a
person at every site), name, birth date and mobile number. The local provider, used by the
demo and the tests, asks for name, birth date and mobile number, sends a 6-digit code through
the SMS gateway, and derives a stable CI from the identity (keyed HMAC of name and birth date,
`local_ci`), so the same person always gets the same CI — also the one the local vehicle
registry lists for the owner of a car.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import codes
from .errors import IdentityUnavailable
from .models import LocalIdentity

LOCAL_PROVIDER = "mileage.members.identity.LocalIdentityProvider"
# The local provider's CI key: a fixed demo value, so the demo registry's CIs match.
DEFAULT_LOCAL_CI_KEY = "seoul-mileage-local-identity-v1"


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a verification proves about the person."""

    ci: str
    name: str
    birth_date: dt.date
    phone: str  # normalised, 010-1234-5678


class IdentityProvider(Protocol):
    def start(self, *, name: str, birth_date: dt.date, phone: str, purpose: str) -> str:
        """Begin a verification (the code goes to `phone`); returns a token naming it."""
        ...

    def confirm(self, token: str, code: str, *, purpose: str) -> VerifiedIdentity:
        """Finish it with the code the person typed; raises WrongCode / CodeExpired /
        TooManyTries."""
        ...


def local_ci(name: str, birth_date: dt.date) -> str:
    """The local provider's CI for a person: Base64 of HMAC-SHA512 (88 characters, like a CI)."""
    key = getattr(settings, "MILEAGE_LOCAL_IDENTITY_KEY", "") or DEFAULT_LOCAL_CI_KEY
    message = f"{name.strip()}|{birth_date.isoformat()}".encode()
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha512).digest()).decode()


class LocalIdentityProvider:
    """Name + birth date + mobile number, confirmed by a code sent through the SMS gateway."""

    def start(self, *, name: str, birth_date: dt.date, phone: str, purpose: str) -> str:
        payload = {"name": name.strip(), "birth_date": birth_date.isoformat()}
        return codes.send_code(phone, purpose, payload)

    def confirm(self, token: str, code: str, *, purpose: str) -> VerifiedIdentity:
        row = codes.confirm_code(token, code, purpose)
        name = row.payload["name"]
        birth = dt.date.fromisoformat(row.payload["birth_date"])
        return _subscriber(name, birth, row.phone)


def _subscriber(name: str, birth: dt.date, phone: str) -> VerifiedIdentity:
    """The same person keeps their CI: known by this phone and birth date (a changed name), or
    by name and birth date (a changed phone number); otherwise a new CI from name and birth."""
    with transaction.atomic():
        known = (
            LocalIdentity.objects.select_for_update().filter(phone=phone, birth_date=birth).first()
            or LocalIdentity.objects.select_for_update().filter(name=name, birth_date=birth).first()
        )
        if known is None:
            known, _ = LocalIdentity.objects.get_or_create(
                ci=local_ci(name, birth),
                defaults={"name": name, "birth_date": birth, "phone": phone},
            )
        if (known.name, known.phone) != (name, phone):
            known.name, known.phone = name, phone
            known.save(update_fields=["name", "phone"])
    return VerifiedIdentity(ci=known.ci, name=name, birth_date=birth, phone=phone)


def get_identity_provider() -> IdentityProvider:
    dotted = getattr(settings, "MILEAGE_IDENTITY_PROVIDER", "")
    if not dotted:
        raise IdentityUnavailable("본인인증 서비스가 설정되지 않았습니다.")
    return import_string(dotted)()
