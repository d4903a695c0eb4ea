"""Reads shared by the pilot's pages and dashboard panels, filtered by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from mileage.accounts import scope

from .models import Enrolment, Status


def visible_to(user: Any) -> QuerySet[Enrolment]:
    """The city sees every enrolment; an insurer's staff only their insurer's (another
    insurer's id is a 404); an official their district's vehicles; a member their own."""
    rows = Enrolment.objects.select_related("partner", "vehicle", "member", "programme")
    return scope.restrict(
        rows, user, owner="member", district="vehicle__district", partner="partner"
    )


def status_counts(rows: QuerySet[Enrolment]) -> dict[str, int]:
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
    return {value: counts.get(value, 0) for value in Status.values}


def totals_per_insurer(rows: QuerySet[Enrolment] | None = None) -> list[dict[str, Any]]:
    """Enrolled, active, evaluated, void, awarded and won per insurer (the city's report)."""
    rows = rows if rows is not None else Enrolment.objects.all()
    found = (
        rows.order_by()
        .values("partner__slug", "partner__name")
        .annotate(
            enrolled=Count("id"),
            active=Count("id", filter=Q(status=Status.ACTIVE)),
            evaluated=Count("id", filter=Q(status=Status.EVALUATED)),
            void=Count("id", filter=Q(status=Status.VOID)),
            awarded=Count("id", filter=Q(outcome__status="awarded")),
            mileage=Sum("outcome__mileage", filter=Q(outcome__status="awarded")),
            paid=Sum("outcome__mileage", filter=Q(outcome__paid_on__isnull=False)),
        )
        .order_by("partner__name")
    )
    return [
        {
            "slug": r["partner__slug"],
            "name": r["partner__name"],
            "enrolled": r["enrolled"],
            "active": r["active"],
            "evaluated": r["evaluated"],
            "void": r["void"],
            "awarded": r["awarded"],
            "mileage": r["mileage"] or 0,
            "paid": r["paid"] or 0,
        }
        for r in found
    ]
