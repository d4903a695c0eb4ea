"""Demo partners: the 2014 pilot's three insurers, two walking apps, a merchant, a sponsor, a carmaker.

Each gets a staff login and one demo API key. The key is random, made when the partner's demo
key is first created and printed that once (like any key issued on the key page); a later run
creates nothing twice and prints no token. Lost a demo token? Revoke the key on the partner's
key page and issue a new one, or delete the demo database and run `make demo` again.
"""

from __future__ import annotations

from typing import TextIO

from demo.accounts import DEMO_PASSWORD
from mileage.accounts.models import Role, User
from mileage.partners.models import Partner, PartnerKind
from mileage.partners.services import issue_key

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


def ensure_demo_key(partner: Partner) -> str | None:
    """Issue the partner's demo key if it has none; return its token only when made now."""
    if partner.api_keys.filter(name=DEMO_KEY_NAME).exists():
        return None
    return issue_key(partner, DEMO_KEY_NAME)[1]


def key_line(partner: Partner, token: str | None) -> str:
    shown = (
        f"X-API-Key: {token}  (새로 만든 키: 지금 한 번만 표시합니다)"
        if token
        else "X-API-Key: 이미 발급됨 (처음 만들 때 한 번만 표시)"
    )
    return f"  partner-{partner.slug:16} {partner.name} ({partner.get_kind_display()})  {shown}"


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
        lines.append(key_line(partner, ensure_demo_key(partner)))
    out.write(f"partners: {created} partners created\n")
    out.write("\n".join(lines) + "\n")
