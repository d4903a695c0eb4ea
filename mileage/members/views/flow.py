"""Session steps shared by the verification flows (sign-up, re-verification, reset)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ..identity import VerifiedIdentity

VERIFIED_FOR = dt.timedelta(minutes=30)  # how long a finished verification may be used


def remember(request: HttpRequest, flow: str, **data: Any) -> None:
    request.session[f"members:{flow}"] = data


def recall(request: HttpRequest, flow: str) -> dict[str, Any] | None:
    return request.session.get(f"members:{flow}")


def forget(request: HttpRequest, *flows: str) -> None:
    for flow in flows:
        request.session.pop(f"members:{flow}", None)


def keep_identity(request: HttpRequest, flow: str, identity: VerifiedIdentity) -> None:
    request.session[f"members:{flow}:identity"] = {
        "ci": identity.ci,
        "name": identity.name,
        "birth_date": identity.birth_date.isoformat(),
        "phone": identity.phone,
        "at": timezone.now().isoformat(),
    }


def verified_identity(request: HttpRequest, flow: str) -> VerifiedIdentity | None:
    data = request.session.get(f"members:{flow}:identity")
    if not data:
        return None
    if dt.datetime.fromisoformat(data["at"]) + VERIFIED_FOR < timezone.now():
        request.session.pop(f"members:{flow}:identity", None)
        return None
    return VerifiedIdentity(
        ci=data["ci"],
        name=data["name"],
        birth_date=dt.date.fromisoformat(data["birth_date"]),
        phone=data["phone"],
    )


def drop_identity(request: HttpRequest, flow: str) -> None:
    request.session.pop(f"members:{flow}:identity", None)
