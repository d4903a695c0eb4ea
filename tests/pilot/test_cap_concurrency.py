"""PILOT-1 under concurrency (PostgreSQL): 100 enrolment requests at once against a cap lowered
to 40 by a dated override; exactly 40 get a slot (1..40, no gaps, no duplicates), 60 are told
the cap is reached."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from mileage.core.parameters import current_parameters
from mileage.pilot import errors
from mileage.pilot.models import Enrolment, Programme
from mileage.pilot.services.enrol import enrol
from tests import factories
from tests.pilot.conftest import request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_pilot1_cap_holds_for_100_simultaneous_enrolments(programme: Any) -> None:
    lowered = current_parameters().with_overrides(
        {"pilot.max_vehicles": {"2014-10-01": {"value": 40, "source": "test: lowered cap"}}}
    )
    insurer = factories.partner("insurer")
    start = threading.Barrier(100)
    # The requests arrive together; like an app server's connection pool, at most 90 hold a
    # database connection at once (PostgreSQL's default max_connections is 100).
    pool = threading.BoundedSemaphore(90)
    outcomes: list[str] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            start.wait()
            with pool:
                try:
                    enrol(programme, insurer, request(f"10가{n:04d}", f"cap-{n}"), params=lowered)
                finally:
                    connection.close()
            result = "ok"
        except errors.CapReached as exc:
            result = "full" if "마감" in exc.message else "bad-message"
        except Exception as exc:
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    connection.close()  # the test's own connection is not needed while the requests run
    threads = [threading.Thread(target=one, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["full", "ok"], outcomes
    assert outcomes.count("ok") == 40 and outcomes.count("full") == 60
    slots = sorted(Enrolment.objects.values_list("slot", flat=True))
    assert slots == list(range(1, 41))
    assert Programme.objects.get(pk=programme.pk).enrolled == 40
