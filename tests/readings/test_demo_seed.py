"""The demo world has eco vehicles at every stage, from the shipped registry, and seeds once."""

from __future__ import annotations

import io

import pytest

from demo import accounts as accounts_demo
from demo import readings as readings_demo
from demo import vehicles as vehicles_demo
from mileage.core.models import OutboxMessage
from mileage.readings.models import Appeal, Reading, ReadingFlag
from mileage.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


def test_demo_has_every_stage_and_a_second_run_adds_nothing() -> None:
    out = io.StringIO()
    accounts_demo.seed(out)
    vehicles_demo.seed(out)
    readings_demo.seed(out)
    statuses = {
        plate: list(Reading.objects.filter(vehicle__plate=plate).values_list("status", flat=True))
        for plate in ("12가3456", "34나5678", "45다6789", "67마8901", "56라7890")
    }
    assert statuses["12가3456"] == ["approved", "approved"]  # cycle 1 closed
    assert statuses["34나5678"] == ["submitted"]
    assert (
        statuses["67마8901"] == ["rejected"] and Appeal.objects.filter(status="open").count() == 1
    )
    assert Vehicle.objects.get(plate="56라7890").status == "ended"
    flags = set(
        ReadingFlag.objects.filter(reading__vehicle__plate="45다6789").values_list(
            "code", flat=True
        )
    )
    assert {"same_photo", "no_capture_date"} <= flags
    in_window = Vehicle.objects.get(plate="12가3456").cycles.get(number=2)
    from django.utils import timezone

    assert in_window.window_opens_on <= timezone.localdate() <= in_window.window_closes_on
    pending_districts = set(
        Reading.objects.filter(status="submitted").values_list("vehicle__district__code", flat=True)
    )
    assert len(pending_districts) == 25  # every district official has something to review
    assert OutboxMessage.objects.filter(kind="window.opens").exists()
    counts = (Vehicle.objects.count(), Reading.objects.count(), OutboxMessage.objects.count())
    vehicles_demo.seed(out)
    readings_demo.seed(out)
    assert (
        Vehicle.objects.count(),
        Reading.objects.count(),
        OutboxMessage.objects.count(),
    ) == counts
