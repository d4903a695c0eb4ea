"""Dashboard panels: each app may offer `dashboard_panels(user) -> list[Panel]` in `<app>/dashboard.py`.

The web dashboard collects them from every installed `mileage.*` app (in INSTALLED_APPS order,
then by `order`) and renders each panel's template with its context:

    # mileage/readings/dashboard.py
    from mileage.web.dashboard import Panel

    def dashboard_panels(user) -> list[Panel]:
        if not is_official(user):
            return []
        return [Panel("검토할 주행거리", "readings/panels/pending.html", {"rows": ...}, order=10)]

A panel template is a fragment (no `extends`); it gets `panel` and the panel's context.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def collect_panels(user: Any) -> list[Panel]:
    panels: list[Panel] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("mileage."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
            continue
        provider = getattr(module, "dashboard_panels", None)
        if provider is not None:
            panels.extend(provider(user))
    return sorted(panels, key=lambda p: p.order)


def render_panel(request: HttpRequest, panel: Panel) -> SafeString:
    html = render_to_string(panel.template, {**panel.context, "panel": panel}, request=request)
    return mark_safe(html)  # rendered by the template engine, which escaped the context


def dashboard_panels(user: Any) -> list[Panel]:
    """The platform's own panels: who I am and where my scope is (empty states until apps add more)."""
    from django.utils.translation import gettext as _

    from mileage.accounts.models import District
    from mileage.accounts.scope import is_city, is_official, is_partner_user, partner_of

    if is_official(user):
        return [
            Panel(
                _("담당 구"),
                "web/panels/official_district.html",
                {"district": user.district, "community_centre": user.community_centre},
                order=0,
            )
        ]
    if is_city(user):
        return [
            Panel(
                _("자치구"),
                "web/panels/city_districts.html",
                {"districts": list(District.objects.all())},
                order=0,
            )
        ]
    if is_partner_user(user):
        partner = partner_of(user)
        active = partner.api_keys.filter(revoked_at__isnull=True).count() if partner else 0
        return [
            Panel(
                _("기관 정보"),
                "web/panels/partner_info.html",
                {"partner": partner, "active_keys": active},
                order=0,
            )
        ]
    return [Panel(_("내 정보"), "web/panels/profile.html", {"person": user}, order=0)]
