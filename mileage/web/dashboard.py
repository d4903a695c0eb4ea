"""The platform's own dashboard panels: who I am and where my scope is.

The panel registry itself is `mileage.core.panels` (every app's `<app>/dashboard.py`).
"""

from __future__ import annotations

from typing import Any

from mileage.core.panels import Panel


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
            ),
            Panel(_("자동 작업 일정"), "web/panels/city_schedule.html", {}, order=45),
            Panel(_("프로그램 관리"), "web/panels/city_programmes.html", {}, order=46),
            Panel(_("알림 발송 현황"), "web/panels/city_notices.html", {}, order=47),
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
