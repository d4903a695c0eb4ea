"""The authorization matrix: rows of (method, path, expected status for every role).

Any `tests/**/matrix_*.py` module with a `CASES: list[Row]` list joins the one parametrised test
in `test_authorization_matrix.py`; `test_every_endpoint_is_in_the_matrix` fails when a URL or an
API operation has no row. A row must give an expectation for every role in `ROLES`; `expect()`
fills groups:

    from tests.platform.matrix import Row, expect

    CASES = [
        Row("GET", "/api/v1/readings/{mapo_reading}",
            expect(anonymous=401, keys=401, citizen=200, mapo_official=200, jung_official=404,
                   city=200, partner_user=403),
            setup=lambda w: {"mapo_reading": make_reading(w["mapo_citizen"]).pk}),
    ]

Paths are `str.format_map`ped with the world: `{mapo}`/`{jung}` (district codes), the named
people (`{mapo_citizen.pk}`), `{insurer_key.pk}`, `{other_insurer_key.pk}`, and whatever the
row's `setup(world)` returns. World entries are created lazily, only when a row uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from mileage.accounts.districts import JUNG, MAPO
from tests import factories

PEOPLE = ["citizen", "mapo_official", "jung_official", "city", "partner_user"]
KEYS = [
    "key_insurer",
    "key_walking_app",
    "key_merchant",
    "key_sponsor",
    "key_carmaker",
    "key_other_insurer",
]
ROLES = ["anonymous", *PEOPLE, *KEYS, "key_revoked"]

Expected = int | tuple[int, ...]


def expect(
    default: Expected | None = None,
    *,
    anonymous: Expected | None = None,
    people: Expected | None = None,
    keys: Expected | None = None,
    **by_role: Expected,
) -> dict[str, Expected]:
    """Expected status per role. `anonymous` also covers the revoked key (it authenticates no
    one); `people` the five signed-in roles; `keys` the six valid partner keys."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s) {sorted(unknown)}; roles are {ROLES}")
    out: dict[str, Expected] = {}
    for role in ROLES:
        if role in by_role:
            out[role] = by_role[role]
        elif role in ("anonymous", "key_revoked") and anonymous is not None:
            out[role] = anonymous
        elif role in PEOPLE and people is not None:
            out[role] = people
        elif role in KEYS and keys is not None:
            out[role] = keys
        elif default is not None:
            out[role] = default
    missing = set(ROLES) - set(out)
    if missing:
        raise ValueError(f"no expectation for role(s) {sorted(missing)}")
    return out


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expect: Mapping[str, Expected]
    json: Any = None
    form: Mapping[str, Any] | None = None
    setup: Callable[[World], Mapping[str, Any]] | None = field(default=None, compare=False)
    note: str = ""


def _key(which: str, revoked: bool = False) -> Callable[[World], Any]:
    def make(world: World) -> Any:
        key, token = factories.api_key(which, revoked=revoked)
        key.token = token  # the plain token, for the X-API-Key header
        return key

    return make


FACTORIES: dict[str, Callable[[World], Any]] = {
    "mapo": lambda w: MAPO,
    "jung": lambda w: JUNG,
    "mapo_citizen": lambda w: factories.mapo_citizen(),
    "mapo_official": lambda w: factories.mapo_official(),
    "jung_official": lambda w: factories.jung_official(),
    "city_manager": lambda w: factories.city_manager(),
    "insurer_user": lambda w: factories.partner_user("insurer"),
    "insurer_key": _key("insurer"),
    "walking_app_key": _key("walking_app"),
    "merchant_key": _key("merchant"),
    "sponsor_key": _key("sponsor"),
    "carmaker_key": _key("carmaker"),
    "other_insurer_key": _key("other_insurer"),
    "revoked_key": _key("insurer", revoked=True),
}

SESSION_ROLES = {
    "citizen": "mapo_citizen",
    "mapo_official": "mapo_official",
    "jung_official": "jung_official",
    "city": "city_manager",
    "partner_user": "insurer_user",
}
KEY_ROLES = {
    "key_insurer": "insurer_key",
    "key_walking_app": "walking_app_key",
    "key_merchant": "merchant_key",
    "key_sponsor": "sponsor_key",
    "key_carmaker": "carmaker_key",
    "key_other_insurer": "other_insurer_key",
    "key_revoked": "revoked_key",
}


class World(dict):
    """Lazily built test world: `world["mapo_official"]` creates the person on first use."""

    def __missing__(self, name: str) -> Any:
        if name not in FACTORIES:
            raise KeyError(f"no world entry {name!r}; add it to FACTORIES or return it from setup")
        value = FACTORIES[name](self)
        self[name] = value
        return value


def client_for(role: str, world: World) -> tuple[Client, dict[str, str]]:
    """A test client acting as `role`, and the headers to send."""
    client = Client()
    if role in SESSION_ROLES:
        client.force_login(world[SESSION_ROLES[role]])
    if role in KEY_ROLES:
        return client, {"X-API-Key": world[KEY_ROLES[role]].token}
    return client, {}


def perform(row: Row, role: str, world: World) -> Any:
    if row.setup is not None:
        world.update(row.setup(world))
    path = row.path.format_map(world)
    client, headers = client_for(role, world)
    method = row.method.lower()
    if row.json is not None:
        return getattr(client, method)(
            path, data=row.json, content_type="application/json", headers=headers
        )
    if row.form is not None:
        return getattr(client, method)(path, data=dict(row.form), headers=headers)
    return getattr(client, method)(path, headers=headers)
