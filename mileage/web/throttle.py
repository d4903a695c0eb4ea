"""Login throttling: django-axes with two limits (ASVS 2.2.1, credential stuffing).

django-axes counts failed logins per (username, address). That alone lets one address try a
leaked password list over thousands of usernames, a few tries each. This handler also counts
every failure from the address, whatever the username, and locks the address once that count
reaches `AXES_IP_FAILURE_LIMIT` (for the same cool-off time). A successful login resets only
the (username, address) count, so one valid credential in a list does not clear the address.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=get_cool_off_threshold(request),
        )
        per_user = _failures(recent.filter(username=get_client_username(request, credentials)))
        if _failures(recent) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(per_user, get_failure_limit(request, credentials))
        return per_user
