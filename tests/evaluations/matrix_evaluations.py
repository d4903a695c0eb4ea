"""Authorization matrix rows for evaluation runs and the citizen's evaluations page.

City: everything. Officials: a run's page, progress and exports limited to their district;
never start, sign off or pay. Citizens and partner people: only their own evaluations page.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.platform.matrix import Row, expect

ANON = dict(anonymous=302, keys=302)
CITY_AND_OFFICIALS = expect(
    **ANON, citizen=403, partner_user=403, mapo_official=200, jung_official=200, city=200
)


_windows = itertools.count()


def _run(world: Any, status: str = "evaluated") -> dict[str, Any]:
    from mileage.evaluations.models import EvaluationRun, Result

    run = EvaluationRun.objects.create(  # one live run per window: each setup its own window
        window_from=dt.date(2025, 5, 1) - dt.timedelta(days=next(_windows)),
        window_to=dt.date(2025, 6, 30),
        status=status,
        started_by=world["city_manager"],
    )
    Result.objects.create(
        run=run,
        chunk=0,
        vehicle_id=1,
        owner_id=world["mapo_citizen"].pk,
        district_code="11440",
        plate="12가3456",
        cycle=1,
        start_on=dt.date(2024, 5, 2),
        end_on=dt.date(2025, 5, 2),
        days=365,
        baseline_km=10000.0,
        driven_km=7000.0,
        reduction_km=3000.0,
        reduction_pct=30.0,
        status="awarded",
        kind="regular",
        tier=70000,
        mileage=70000,
        payment_on=dt.date(2025, 7, 20),
        reasons="ECO-9,ECO-6,ECO-12",
        key="eco-car:vehicle:1:cycle:1",
    )
    return {"run": run.pk}


def _signed_off(world: Any) -> dict[str, Any]:
    return _run(world, status="signed-off")


CASES: list[Row] = [
    Row("GET", "/evaluations/runs/", CITY_AND_OFFICIALS),
    Row(
        "POST",
        "/evaluations/runs/",
        expect(
            **ANON, citizen=403, partner_user=403, mapo_official=403, jung_official=403, city=302
        ),
        form={"window_from": "2025-05-01", "window_to": "2025-06-30"},
        note="only the city manager starts a run (ECO-12)",
    ),
    Row("GET", "/evaluations/runs/{run}/", CITY_AND_OFFICIALS, setup=_run),
    Row("GET", "/evaluations/runs/{run}/progress/", CITY_AND_OFFICIALS, setup=_run),
    Row("GET", "/evaluations/stats/", CITY_AND_OFFICIALS, note="eco figures (issue #14)"),
    Row("GET", "/evaluations/stats/?format=xlsx", CITY_AND_OFFICIALS),
    Row("GET", "/evaluations/runs/{run}/export.csv?reason=검토", CITY_AND_OFFICIALS, setup=_run),
    Row("GET", "/evaluations/runs/{run}/export.xlsx?reason=검토", CITY_AND_OFFICIALS, setup=_run),
    Row(
        "POST",
        "/evaluations/runs/{run}/sign-off/",
        expect(
            **ANON, citizen=403, partner_user=403, mapo_official=403, jung_official=403, city=302
        ),
        setup=_run,
    ),
    Row(
        "POST",
        "/evaluations/runs/{run}/pay/",
        expect(
            **ANON, citizen=403, partner_user=403, mapo_official=403, jung_official=403, city=302
        ),
        setup=_signed_off,
    ),
    Row(
        "POST",
        "/evaluations/runs/{run}/cancel/",
        expect(
            **ANON, citizen=403, partner_user=403, mapo_official=403, jung_official=403, city=302
        ),
        setup=_run,
        form={"reason": "기간 오류"},
        note="only the city cancels a run, before sign-off (issue #14)",
    ),
    Row(
        "GET",
        "/evaluations/mine/",
        expect(
            **ANON, citizen=200, partner_user=403, mapo_official=403, jung_official=403, city=403
        ),
    ),
]
