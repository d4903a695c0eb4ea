"""WALK-1 [interp] fair play on PostgreSQL: two decisions on one held day at once, and a decision
racing a rerun of the day's accrual, pay the day once (its own ledger key walk:day:...)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import HeldDayDecided
from mileage.walking.models import HeldDay, HeldStatus
from mileage.walking.services import fairplay
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps
from .test_concurrency_pg import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _held_walker():
    app = factories.partner("walking_app")
    walker = factories.person("held-walker")
    on = timezone.localdate() - dt.timedelta(days=2)
    steps(walker, on, 80_000, app)  # over the hold cap
    accrue_day(on)
    return walker, on, HeldDay.objects.get(member=walker, on=on)


def test_walk1_two_city_decisions_at_once_pay_once():
    walker, on, held = _held_walker()
    city, other_city = factories.city_manager(), factories.second_city_manager()
    results = _race(
        [
            lambda: fairplay.decide(city, held.pk, pay=True),
            lambda: fairplay.decide(other_city, held.pk, pay=True),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["HeldDay", "HeldDayDecided"]
    assert ledger.balance(ledger.account("wallet", user=walker)) == 100
    assert Transaction.objects.filter(key=f"walk:day:{walker.pk}:{on.isoformat()}").count() == 1
    assert_books_balance()


def test_walk1_pay_and_refuse_at_once_one_wins():
    walker, _on, held = _held_walker()
    city, other_city = factories.city_manager(), factories.second_city_manager()
    results = _race(
        [
            lambda: fairplay.decide(city, held.pk, pay=True),
            lambda: fairplay.decide(other_city, held.pk, pay=False, reason="기기 공유"),
        ]
    )
    assert sum(isinstance(r, HeldDayDecided) for r in results) == 1
    held.refresh_from_db()
    paid = ledger.balance(ledger.account("wallet", user=walker))
    assert (held.status, paid) in ((HeldStatus.PAID, 100), (HeldStatus.REFUSED, 0))
    assert_books_balance()


def test_walk1_decision_racing_a_rerun_of_the_day_pays_once():
    walker, on, held = _held_walker()
    city = factories.city_manager()
    results = _race([lambda: fairplay.decide(city, held.pk, pay=True), lambda: accrue_day(on)])
    assert not any(isinstance(r, Exception) for r in results), results
    assert ledger.balance(ledger.account("wallet", user=walker)) == 100
    assert Transaction.objects.filter(key__startswith="walk:day:").count() == 1
    assert_books_balance()
