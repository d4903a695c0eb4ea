"""Demo partners: the 2014 pilot's three insurers, two walking apps, a merchant, a sponsor, a carmaker.

Each gets a staff login and one demo API key whose token is derived from SECRET_KEY, so the
command can print the same key on every run (idempotent: nothing is created twice).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TextIO

from django.conf import settings

from mileage.accounts.demo import DEMO_PASSWORD
from mileage.accounts.models import Role, User

from .models import ApiKey, Partner, PartnerKind, hash_token
from .services import issue_key

DEMO_PARTNERS: list[tuple[str, str, str]] = [
    ("hanwha", "한화손해보험", PartnerKind.INSURER),
    ("hicar", "현대하이카다이렉트", PartnerKind.INSURER),
    ("mg", "MG손해보험", PartnerKind.INSURER),
    ("georeumon", "걸음온", PartnerKind.WALKING_APP),  # in the style of 워크온
    ("bigstep", "빅스텝", PartnerKind.WALKING_APP),  # in the style of 빅워크 (걸음 기부)
    ("mangwon-books", "망원동 책방", PartnerKind.MERCHANT),
    ("green-seoul", "푸른서울나눔재단", PartnerKind.SPONSOR),
    ("hanbit-motors", "한빛자동차", PartnerKind.CARMAKER),
]
DEMO_KEY_NAME = "데모 키"


def demo_token(slug: str) -> str:
    """A stable token for the demo key of `slug`, shaped like a generated one."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo-key:{slug}".encode(), hashlib.sha256)
    raw = digest.digest()
    secret = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"mk_{raw[:4].hex()}_{secret}"


def seed(out: TextIO) -> None:
    created = 0
    lines = []
    for slug, name, kind in DEMO_PARTNERS:
        partner, made = Partner.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        created += made
        user, _ = User.objects.get_or_create(
            username=f"partner-{slug}",
            defaults={"display_name": f"{name} 담당자", "role": Role.PARTNER},
        )
        if not user.password or not user.has_usable_password():  # "" counts as usable
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        partner.members.add(user)
        token = demo_token(slug)
        if not partner.api_keys.filter(name=DEMO_KEY_NAME).exists():
            issue_key(partner, DEMO_KEY_NAME, token=token)
        if ApiKey.objects.filter(hashed=hash_token(token), revoked_at__isnull=True).exists():
            lines.append(
                f"  partner-{slug:16} {name} ({partner.get_kind_display()})  X-API-Key: {token}"
            )
    out.write(f"partners: {created} partners created\n")
    out.write("\n".join(lines) + "\n")
