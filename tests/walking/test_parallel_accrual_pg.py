"""WALK-3 accrual paid by two forked worker processes on PostgreSQL: every member-day once, the
same ledger as one process, and a second run (also in workers) pays nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.accounts.models import User
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.services.accrual import accrue_day
from mileage.walking.services.feed import upsert_reports
from tests import factories

# Plain transactional (the workers must see committed rows). Its file name sorts after
# test_concurrency_pg.py on purpose: a plain transactional test's flush re-creates content types,
# which breaks a serialized-rollback test that runs after it (they would be restored twice).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_walk3_accrual_in_two_workers_pays_each_member_day_once() -> None:
    on = timezone.localdate() - dt.timedelta(days=12)
    if on.day == 11:
        on -= dt.timedelta(days=1)
    source = factories.partner("walking_app")
    members = [User.objects.create_user(username=f"worker-walker-{n}") for n in range(7)]
    upsert_reports(
        source.pk, [(m.pk, on, 1_000 * (n + 1)) for n, m in enumerate(members)], timezone.now()
    )
    run = accrue_day(on, chunk=2, workers=2)  # four chunks over two processes
    again = accrue_day(on, chunk=2, workers=2)
    wallets = [ledger.balance(ledger.account("wallet", user=m)) for m in members]
    assert wallets == [10, 20, 30, 40, 50, 60, 70]
    assert (run.member_days, run.mileage_total, run.skipped) == (7, 280, 0)
    assert (again.member_days, again.mileage_total) == (0, 0)
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 7
    assert_books_balance()
