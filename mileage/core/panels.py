"""Dashboard panels: each app may offer `dashboard_panels(user) -> list[Panel]` in `<app>/dashboard.py`.

`collect_panels` gathers them from every installed `mileage.*` app (in INSTALLED_APPS order,
then by `order`); the web dashboard renders each panel's template with its context:

    # mileage/readings/dashboard.py
    from mileage.core.panels import Panel

    def dashboard_panels(user) -> list[Panel]:
        if not is_official(user):
            return []
        return [Panel("검토할 주행거리", "readings/panels/pending.html", {"rows": ...}, order=10)]

A panel template is a fragment (no `extends`); it gets `panel` and the panel's context.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


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
