"""Walking fixtures: two walking apps (mileage-style and donation-style), linked members, keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mileage.partners.models import Partner, PartnerKind
from mileage.walking.services.links import link_app
from tests import factories


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def walkon(db: None) -> Partner:
    """The mileage-style app (WalkOn-like): the factories' walking app."""
    return factories.partner("walking_app")


@pytest.fixture
def bigwalk(db: None) -> Partner:
    """A second, donation-style app (Bigwalk-like)."""
    found, _ = Partner.objects.get_or_create(
        slug="keungeoreum", defaults={"name": "큰걸음", "kind": PartnerKind.WALKING_APP}
    )
    return found


@pytest.fixture
def walkon_token(walkon: Partner) -> str:
    return factories.api_key("walking_app")[1]


@pytest.fixture
def bigwalk_token(bigwalk: Partner) -> str:
    from mileage.partners.services import issue_key

    return issue_key(bigwalk, "test key")[1]


@pytest.fixture
def walker(db: None) -> Any:
    return factories.mapo_citizen()


@pytest.fixture
def walker_link(walker: Any, walkon: Partner) -> str:
    """The opaque token WalkOn knows the Mapo-gu citizen by."""
    return link_app(walker, walkon, consent=True).token


def push(client: Client, token: str, rows: list[dict[str, Any]] | Any) -> Any:
    body = rows if not isinstance(rows, list) else {"rows": rows}
    return client.post(
        "/api/v1/walking/steps", body, content_type="application/json", HTTP_X_API_KEY=token
    )


def day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()
