"""Shared test setup. Rules tests need no database; Django tests use pytest-django."""

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
