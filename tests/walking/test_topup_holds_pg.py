"""WALK-1/WALK-3 [interp] on PostgreSQL: a held late total decided twice at once, or decided
while the top-up pass pays the same total (its flags cleared), is paid once (one chain link,
one key walk:topup:...)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import HeldDayDecided
from mileage.walking.models import DayTopUp, HeldDay, HeldKind, HeldStatus
from mileage.walking.services import fairplay
from mileage.walking.services.feed import StepRow, upsert_extras
from mileage.walking.services.topups import top_up_late_days
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps
from .test_concurrency_pg import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SHAKEN = [0] * 6 + [15_000] * 4 + [500] * 14


def _held_late_total():
    app = factories.partner("walking_app")
    walker = factories.person("late-walker")
    on = timezone.localdate() - dt.timedelta(days=3)
    on = on - dt.timedelta(days=1) if on.day == 11 else on
    steps(walker, on, 8_000, app)
    accrue_day(on)
    steps(walker, on, sum(SHAKEN), app)
    upsert_extras(app.pk, [(walker.pk, StepRow("t", on, sum(SHAKEN), hourly=tuple(SHAKEN)))])
    top_up_late_days()
    return app, walker, on, HeldDay.objects.get(member=walker, kind=HeldKind.TOPUP)


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def test_two_city_decisions_on_a_late_total_at_once_pay_once():
    _app, walker, on, held = _held_late_total()
    city, other_city = factories.city_manager(), factories.second_city_manager()
    results = _race(
        [
            lambda: fairplay.decide(city, held.pk, pay=True),
            lambda: fairplay.decide(other_city, held.pk, pay=True),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["HeldDay", "HeldDayDecided"]
    assert _wallet(walker) == 100
    key = f"walk:topup:{walker.pk}:{on.isoformat()}:100"
    assert Transaction.objects.filter(key=key).count() == 1
    assert DayTopUp.objects.count() == 1
    assert_books_balance()


def test_a_decision_racing_a_pass_that_pays_the_same_link_pays_once():
    app, walker, on, held = _held_late_total()
    # the partner now sends a plausible larger total: the pass would top up from 80 too
    honest = [0] * 7 + [1_000] * 9 + [500] * 8  # 13,000 walked all day
    steps(walker, on, sum(honest), app)
    upsert_extras(app.pk, [(walker.pk, StepRow("t", on, sum(honest), hourly=tuple(honest)))])
    city = factories.city_manager()
    results = _race([lambda: fairplay.decide(city, held.pk, pay=True), lambda: top_up_late_days()])
    assert not any(isinstance(r, Exception) for r in results), results
    assert _wallet(walker) == 100
    assert Transaction.objects.filter(key__startswith="walk:topup:").count() == 1
    assert DayTopUp.objects.filter(paid_before=80).count() == 1
    held.refresh_from_db()
    assert held.status == HeldStatus.PAID
    assert_books_balance()


def test_pay_and_refuse_of_a_late_total_at_once_one_wins():
    _app, walker, _on, held = _held_late_total()
    city, other_city = factories.city_manager(), factories.second_city_manager()
    results = _race(
        [
            lambda: fairplay.decide(city, held.pk, pay=True),
            lambda: fairplay.decide(other_city, held.pk, pay=False, reason="흔들기"),
        ]
    )
    assert sum(isinstance(r, HeldDayDecided) for r in results) == 1
    held.refresh_from_db()
    assert (held.status, _wallet(walker)) in ((HeldStatus.PAID, 100), (HeldStatus.REFUSED, 80))
    assert_books_balance()
