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


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Reference data the migrations seed (the 25 districts, the WALK-7 courses, the catalogue of
    uses) in every DB test.

    A transactional test (live server, thread races) ends by flushing every table, so the tests
    after it would otherwise find no districts, depending on the order the suite runs in.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = (
        (marker is not None and bool(marker.kwargs.get("transaction", marker.args[:1] == (True,))))
        or "transactional_db" in names
        or "live_server" in names
    )
    request.getfixturevalue("transactional_db" if transactional else "db")

    from mileage.accounts.districts import ensure_districts
    from mileage.ledger.catalogue import ensure_catalogue
    from mileage.walking.course_data import COURSES
    from mileage.walking.models import Course

    ensure_districts()
    ensure_catalogue()
    if Course.objects.count() < len(COURSES):
        for data in COURSES:
            Course.objects.get_or_create(
                slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
            )


@pytest.fixture(autouse=True)
def _project_celery_app_stays_current() -> object:
    """A test that makes a Celery app of its own (a real broker, `make_app(...)`) makes it the
    current app, which the project's shared tasks resolve to; give the project's app back after
    each test, so later tests run their tasks eagerly again instead of on that broker."""
    from mileage.site.celery import app

    yield None
    app.set_current()


@pytest.fixture(autouse=True)
def _parameters_cache_per_test() -> object:
    """`current_parameters()` keeps the layered parameters a moment per process (issue #14);
    a test's approved change is rolled back with its database, so forget it after each test —
    and before, since a thread a test left behind (a live server's, a deliverer's) may have filled
    the cache again from its own view of the database after the last forget."""
    from mileage.core import parameters

    parameters.forget()
    yield None
    parameters.forget()
