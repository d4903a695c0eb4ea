"""ECO-15..17 through the May seasonal run: the scalar engine's outcome, paid once in May."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.synthetic_vehicles import load
from mileage.evaluations import services
from mileage.evaluations.models import Result
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.readings.queries import approved_histories
from mileage.rules import evaluate

from .test_mixed_histories import _read, _vehicle

pytestmark = pytest.mark.django_db
SEASON_WINDOW = (dt.date(2025, 3, 16), dt.date(2025, 4, 30))


def test_eco15_seasonal_run_awards_10000_under_the_threshold_paid_in_may(manager) -> None:
    load(1, dt.date(2025, 5, 1), tag="season")  # the shared synthetic photo
    light = _vehicle("66가6666", dt.date(2015, 1, 1))
    _read(light, "initial", 40000, dt.date(2024, 6, 1))
    _read(light, "season-start", 45000, dt.date(2024, 11, 20))
    _read(light, "season-end", 46000, dt.date(2025, 3, 20))
    heavy = _vehicle("77가7777", dt.date(2015, 1, 1))
    _read(heavy, "initial", 40000, dt.date(2024, 6, 1))
    _read(heavy, "season-start", 45000, dt.date(2024, 11, 20))
    _read(heavy, "season-end", 52000, dt.date(2025, 3, 20))

    run = services.start_run(manager, *SEASON_WINDOW, programme="eco-seasonal")
    run = services.run_evaluation(run)
    stored = {r.vehicle_id: r for r in Result.objects.filter(run=run)}
    assert set(stored) == {light.pk, heavy.pk}
    for history in approved_histories([light.pk, heavy.pk]):
        expected = evaluate(history.seasonal_cases()[0])["cycles"][0]
        got = stored[history.vehicle_id]
        assert (got.status, got.mileage, got.reasons.split(","), got.driven_km) == (
            expected["status"],
            expected["mileage"],
            expected["reasons"],
            expected["driven_km"],
        )
    assert stored[light.pk].mileage == 10000 and stored[heavy.pk].mileage == 0
    assert stored[light.pk].payment_on == dt.date(2025, 5, 31)
    assert stored[light.pk].key == f"eco-seasonal:vehicle:{light.pk}:season:2025"

    services.sign_off(run, manager)
    assert services.pay_due(run, dt.date(2025, 5, 31)) == 1
    assert services.pay_due(run, dt.date(2025, 5, 31)) == 0  # run it twice, paid once
    assert ledger.balance(ledger.account("wallet", user=light.owner)) == 10000
    assert ledger.balance(ledger.account("budget", programme="eco-seasonal")) == -10000
    assert_books_balance()
