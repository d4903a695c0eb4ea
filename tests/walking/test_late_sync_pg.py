"""WALK-1/WALK-3 [interp] on PostgreSQL: top-up passes running at the same moment pay each late
difference once (the claim chain is unique on member, day and paid total before)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.models import DayTopUp, TopUpRun
from mileage.walking.services.topups import top_up_late_days
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps
from .test_concurrency_pg import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_top_up_passes_pay_each_member_day_once():
    app = factories.partner("walking_app")
    on = timezone.localdate() - dt.timedelta(days=2)
    if on.day == 11:
        on -= dt.timedelta(days=1)
    people = [factories.person(f"late-{i}") for i in range(40)]
    for p in people:
        steps(p, on, 5_000, app)
    accrue_day(on)
    for p in people:
        steps(p, on, 7_500, app)  # every watch synced late
    results = _race([lambda: top_up_late_days(chunk=7) for _ in range(4)])
    assert all(isinstance(r, TopUpRun) for r in results), results
    assert sum(r.member_days for r in results) == 40
    assert DayTopUp.objects.count() == 40
    assert Transaction.objects.filter(key__startswith="walk:topup:").count() == 40
    for p in people:
        assert ledger.balance(ledger.account("wallet", user=p)) == 75
    assert_books_balance()
