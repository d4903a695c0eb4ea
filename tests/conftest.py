"""Shared test setup. Rules tests need no database; Django tests use pytest-django.

Named people (see tests/factories.py) are also fixtures: `mapo_citizen`, `mapo_official`,
`jung_official`, `city_manager`, `insurer_user`, `insurer_key` (an (ApiKey, token) pair).
"""

from __future__ import annotations

import pytest
from django.conf import settings


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in CI's second pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> object:
    """Argon2 with a tiny cost for tests (see tests/hashers.py); still the argon2 algorithm."""
    from django.test import override_settings

    override = override_settings(
        PASSWORD_HASHERS=[
            "tests.hashers.FastArgon2PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]
    )
    override.enable()
    yield None
    override.disable()


@pytest.fixture
def mapo_citizen(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.mapo_citizen()


@pytest.fixture
def mapo_official(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.mapo_official()


@pytest.fixture
def jung_official(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.jung_official()


@pytest.fixture
def city_manager(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.city_manager()


@pytest.fixture
def insurer_user(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.partner_user("insurer")


@pytest.fixture
def insurer_key(db: None):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.api_key("insurer")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Uploaded files (odometer photos) never land in the developer's var/media during tests."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
