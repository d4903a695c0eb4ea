"""The 2014 pilot's what-if (PILOT-7): a higher electric-car bonus costs exactly the extra share of
the electric car's award; the pilot's run path (Outcome rows, enrolment status) is left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mileage.evaluations.models import EvaluationRun
from mileage.pilot.models import Enrolment, Outcome
from mileage.pilot.services.bank import set_bank_account
from mileage.whatif import services
from tests import factories
from tests.pilot.support import evaluated_pair

pytestmark = pytest.mark.django_db
WINDOW = (dt.date(2015, 4, 1), dt.date(2015, 5, 31))


def test_a_40_percent_ev_bonus_adds_7000_to_the_electric_cars_award(programme: Any) -> None:
    ev, _petrol = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="012-345-678901")
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    change = {"name": "pilot.ev_bonus_pct", "key": "2014-10-01", "value": "40"}
    sim = services.start(factories.city_manager(), "pilot-2014", *WINDOW, [change], chunk_size=1)
    report = services.report(services.run_simulation(sim))
    # PILOT-7: 72% cut → 35,000; +20% → 42,000 now, +40% → 49,000 proposed. The petrol car
    # has no payout account (E-12: no award) on both sides.
    assert (report["current"]["mileage"], report["proposed"]["mileage"]) == (42000, 49000)
    assert report["current"]["cycles"] == 2 and report["difference"] == 7000
    assert report["members"] == {"gain": 1, "lose": 0, "same": 1, "gained": 7000, "lost": 0}
    assert not Outcome.objects.exists() and not EvaluationRun.objects.exists()
    assert dict(Enrolment.objects.values_list("pk", "status")) == statuses
