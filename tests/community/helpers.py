"""Builders for community tests: real members, real step reports, real ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mileage.accounts.models import User
from mileage.walking.services.feed import upsert_reports
from tests import factories


def walker(name: str, district_code: str | None = None) -> User:
    return factories.person(name, district_code=district_code)


def walk(member: Any, on: dt.date, count: int, source: str = "walking_app") -> None:
    """A step report from a walking app (WALK-1 keeps the largest source per member-day)."""
    upsert_reports(factories.partner(source).pk, [(member.pk, on, count)], timezone.now())
