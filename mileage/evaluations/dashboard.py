"""Dashboard panels of the evaluation runs (see mileage.core.panels): the citizen's latest
evaluation and wallet, the runs for officials and the city (ECO-5..12, ECO-15)."""

from __future__ import annotations

from typing import Any

from mileage.accounts import scope
from mileage.core.panels import Panel

from . import queries


def dashboard_panels(user: Any) -> list[Panel]:
    if scope.is_citizen(user):
        from mileage.ledger import services as ledger

        latest = (
            queries.results_visible_to(user)
            .exclude(run__status="cancelled")
            .select_related("run")
            .order_by("-end_on", "-id")
            .first()
        )
        balance = ledger.balance(ledger.account("wallet", user=user))
        context = {"latest": latest, "balance": balance}
        return [Panel("평가와 마일리지", "evaluations/panels/citizen.html", context, 20)]
    if scope.is_city(user) or scope.is_official(user):
        runs = list(queries.runs_visible_to(user).order_by("-id")[:3])
        context = {"runs": runs, "is_city": scope.is_city(user)}
        return [Panel("평가 실행", "evaluations/panels/runs.html", context, 40)]
    return []
