"""Named people and partners for tests (idempotent: calling twice returns the same object).

    from tests.factories import mapo_citizen, mapo_official, jung_official, city_manager

The Mapo-gu (마포구) citizen and official are the usual actors; the Jung-gu (중구) official is the
one who must be refused anything of Mapo-gu. People get an unusable password unless one is
given (Argon2 hashing is slow); tests log them in with `client.force_login(person)`.
"""

from __future__ import annotations

from mileage.accounts.districts import JUNG, MAPO, district
from mileage.accounts.models import Role, User
from mileage.partners.models import ApiKey, Partner, PartnerKind
from mileage.partners.services import issue_key

PASSWORD = "test-pass-2024"


def person(
    username: str,
    *,
    role: str = Role.CITIZEN,
    district_code: str | None = None,
    display_name: str = "",
    community_centre: str = "",
    password: str | None = None,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(
        username=username,
        role=role,
        district=district(district_code) if district_code else None,
        display_name=display_name,
        community_centre=community_centre,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def mapo_citizen(password: str | None = None) -> User:
    return person("mapo-citizen", district_code=MAPO, display_name="김마포", password=password)


def jung_citizen() -> User:
    return person("jung-citizen", district_code=JUNG, display_name="이중구")


def mapo_official(password: str | None = None) -> User:
    return person(
        "mapo-official",
        role=Role.OFFICIAL,
        district_code=MAPO,
        display_name="마포구청 담당자",
        password=password,
    )


def mapo_centre_official() -> User:
    return person(
        "mapo-seogyo-official",
        role=Role.OFFICIAL,
        district_code=MAPO,
        display_name="서교동 주민센터 담당자",
        community_centre="서교동 주민센터",
    )


def jung_official(password: str | None = None) -> User:
    return person(
        "jung-official",
        role=Role.OFFICIAL,
        district_code=JUNG,
        display_name="중구청 담당자",
        password=password,
    )


def city_manager(password: str | None = None) -> User:
    return person("city-manager", role=Role.CITY, display_name="서울시 담당자", password=password)


def second_city_manager(password: str | None = None) -> User:
    """Another city manager: approves the first one's parameter proposals (four eyes)."""
    return person("city-manager-2", role=Role.CITY, display_name="서울시 검토자", password=password)


# One partner of each kind, plus a second insurer (the "other partner").
PARTNERS: dict[str, tuple[str, str, str]] = {
    "insurer": ("hanwha", "한화손해보험", PartnerKind.INSURER),
    "other_insurer": ("mg", "MG손해보험", PartnerKind.INSURER),
    "walking_app": ("georeumon", "걸음온", PartnerKind.WALKING_APP),
    "merchant": ("mangwon-books", "망원동 책방", PartnerKind.MERCHANT),
    "sponsor": ("green-seoul", "푸른서울나눔재단", PartnerKind.SPONSOR),
    "carmaker": ("hanbit-motors", "한빛자동차", PartnerKind.CARMAKER),
}


def partner(which: str = "insurer") -> Partner:
    slug, name, kind = PARTNERS[which]
    found, _ = Partner.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    return found


def partner_user(which: str = "insurer", password: str | None = None) -> User:
    org = partner(which)
    user = person(
        f"partner-{org.slug}",
        role=Role.PARTNER,
        display_name=f"{org.name} 담당자",
        password=password,
    )
    org.members.add(user)
    return user


def api_key(
    which: str = "insurer", permissions: list[str] | None = None, *, revoked: bool = False
) -> tuple[ApiKey, str]:
    """A fresh key for that partner (kind defaults unless `permissions`), and its token."""
    key, token = issue_key(partner(which), "test key", permissions)
    if revoked:
        key.revoke()
    return key, token


def printed_token(output: str, slug: str) -> str:
    """The demo API key `manage.py demo_data` printed (once, when made) for partner `slug`."""
    line = next(line for line in output.splitlines() if f"partner-{slug} " in line)
    return line.split("X-API-Key: ")[1].split()[0]
