"""Demo evaluation runs: every finished ECO-12 upload window with approved closing readings is
evaluated, signed off by the city manager and paid when its payment date has come (idempotent:
a window that already has a live run is left alone)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import Role, User
from mileage.evaluations import services
from mileage.evaluations.models import EvaluationRun, RunStatus
from mileage.readings.models import Reading, ReadingStatus


def upload_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """ECO-12: the two-month upload window (Jan–Feb, Mar–Apr, …, Nov–Dec) containing `on`."""
    first_month = on.month - (on.month - 1) % 2
    start = dt.date(on.year, first_month, 1)
    end = dt.date(on.year + (first_month + 2 > 12), (first_month + 1) % 12 + 1, 1) - dt.timedelta(
        days=1
    )
    return start, end


def seed(out: TextIO) -> None:
    manager = User.objects.filter(role=Role.CITY).order_by("pk").first()
    if manager is None:
        out.write("evaluations: no city manager, skipped\n")
        return
    today = timezone.localdate()
    uploads = Reading.objects.filter(
        status=ReadingStatus.APPROVED, event__in=("annual", "end")
    ).values_list("uploaded_on", flat=True)
    windows = sorted({upload_window(on) for on in uploads if upload_window(on)[1] < today})
    started = paid = 0
    for window_from, window_to in windows:
        live = EvaluationRun.objects.filter(window_from=window_from, window_to=window_to).exclude(
            status=RunStatus.CANCELLED
        )
        if live.exists():
            continue
        run = services.run_evaluation(services.start_run(manager, window_from, window_to))
        services.sign_off(run, manager)
        paid += services.pay_due(run, today)
        started += 1
    out.write(f"evaluations: {started} runs evaluated and signed off, {paid} awards paid\n")
