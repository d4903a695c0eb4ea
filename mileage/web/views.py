"""Pages: home, login/logout, the role dashboard, a district page, partner API keys.

Views parse, ask a query or a service, and render; who may see what is decided in
`mileage.accounts.scope` and the apps' `queries.visible_to`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mileage.accounts.models import Role
from mileage.accounts.scope import (
    districts_managed_by,
    is_city,
    is_official_or_city,
    partner_of,
    users_visible_to,
)
from mileage.core import notify
from mileage.core.errors import DomainError
from mileage.core.guards import guard
from mileage.core.panels import collect_panels, render_panel
from mileage.partners import services as partner_services
from mileage.partners.queries import keys_visible_to

from . import schedule as job_schedule
from .forms import ApiKeyForm, LoginForm

partner_staff = guard(lambda user: partner_of(user) is not None)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


logout = auth_views.LogoutView.as_view()
login = LoginView.as_view()


def _dashboard_template(user: Any) -> str:
    return {
        Role.CITIZEN: "web/dashboard_citizen.html",
        Role.OFFICIAL: "web/dashboard_official.html",
        Role.CITY: "web/dashboard_city.html",
        Role.PARTNER: "web/dashboard_partner.html",
    }.get(user.role, "web/dashboard_citizen.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One dashboard per role; apps add panels through `<app>/dashboard.py`."""
    panels = [(p, render_panel(request, p)) for p in collect_panels(request.user)]
    return render(
        request,
        _dashboard_template(request.user),
        {"panels": panels, "partner": partner_of(request.user)},
    )


@guard(is_official_or_city)
def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A district's page for its own officials and the city; another district's official gets 404."""
    district = get_object_or_404(districts_managed_by(request.user), code=code)
    officials = (
        users_visible_to(request.user)
        .filter(district=district, role=Role.OFFICIAL, is_active=True)
        .order_by("community_centre", "username")
    )
    citizens = users_visible_to(request.user).filter(district=district, role=Role.CITIZEN).count()
    return render(
        request,
        "web/district.html",
        {"district": district, "officials": officials, "citizen_count": citizens},
    )


@partner_staff
@require_http_methods(["GET", "POST"])
def partner_keys(request: HttpRequest) -> HttpResponse:
    """Partner staff list and issue their own API keys; the new token is shown once."""
    partner = partner_of(request.user)
    form = ApiKeyForm(request.POST or None, partner=partner)
    created_token = None
    if request.method == "POST" and form.is_valid():
        _key, created_token = partner_services.issue_key(
            partner, form.cleaned_data["name"], form.cleaned_data["permissions"]
        )
        form = ApiKeyForm(partner=partner)
    return render(
        request,
        "web/partner_keys.html",
        {
            "partner": partner,
            "keys": keys_visible_to(request.user).filter(partner=partner),
            "form": form,
            "created_token": created_token,
        },
        status=400 if request.method == "POST" and created_token is None else 200,
    )


@partner_staff
@require_POST
def partner_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    """Revoke one of my partner's keys; another partner's key id is 404. htmx swaps the row."""
    key = get_object_or_404(keys_visible_to(request.user), pk=key_id)
    partner_services.revoke_key(key)
    if request.headers.get("HX-Request"):
        return render(request, "web/_key_row.html", {"key": key})
    return render(
        request,
        "web/partner_keys.html",
        {
            "partner": key.partner,
            "keys": keys_visible_to(request.user).filter(partner=key.partner),
            "form": ApiKeyForm(partner=key.partner),
            "created_token": None,
        },
    )


def lockout(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes lockout: too many failed logins from this username and address."""
    message = _("로그인에 여러 번 실패하여 잠시 잠겼습니다. 15분 뒤에 다시 시도해 주세요.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "auth.locked_out", "message": message}, status=429)
    return render(request, "web/lockout.html", {"message": message}, status=429)


class _Error(DomainError):
    pass


_PAGE_ERRORS = {
    400: ("request.bad", "잘못된 요청입니다."),
    403: ("forbidden", "이 페이지를 볼 권한이 없습니다."),
    404: ("not_found", "페이지를 찾을 수 없습니다."),
    500: ("server_error", "서버 오류가 발생했습니다. 잠시 뒤 다시 시도해 주세요."),
}


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """handler400/403/404/500: JSON under /api/, a Korean page elsewhere."""
    code, message = _PAGE_ERRORS[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=status)
    error = _Error(message, code=code, status=status)
    try:
        return render(request, "web/error.html", {"error": error}, status=status)
    except Exception:  # the template layer itself failed: plain text, still no traceback
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def handler500(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, 403)


@guard(is_city)
def schedule(request: HttpRequest) -> HttpResponse:
    """The city's schedule (issue #14): each periodic job, last and next run, last result."""
    return render(request, "web/schedule.html", {"jobs": job_schedule.jobs()})


@guard(is_city)
def notices(request: HttpRequest) -> HttpResponse:
    """알림 발송 현황 (issue #14): messages by day, kind, channel and status over the last
    `days` days (7 by default, at most 90), and the newest dead letters with their last error."""
    raw = request.GET.get("days", "7")
    days = int(raw) if raw.isdigit() else 0
    status, error = 200, ""
    if not 1 <= days <= 90:
        status, error, days = 400, "기간은 1일에서 90일 사이의 숫자로 입력해 주세요.", 7
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    return render(
        request,
        "web/notices.html",
        {
            "days": days if not error else raw[:10],
            "since": since,
            "error": error,
            "totals": notify.channel_totals(since),
            "rows": notify.delivery_report(since),
            "failures": notify.recent_failures(),
        },
        status=status,
    )
