"""Who may see what: the one place that knows how roles map to scope.

Apps build their `<app>/queries.py::visible_to(user)` from these predicates, so a view never
decides authorization on its own. A district official (구청·주민센터 담당자) is bound to one
district; the city programme manager (서울시 담당자) sees every district; a citizen sees only
their own things; a partner person sees only their own partner's things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from .models import District, Role, User

if TYPE_CHECKING:
    from mileage.partners.models import Partner


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_citizen(user: Any) -> bool:
    return _active(user) and user.role == Role.CITIZEN


def is_official(user: Any) -> bool:
    return _active(user) and user.role == Role.OFFICIAL and user.district_id is not None


def is_city(user: Any) -> bool:
    return _active(user) and user.role == Role.CITY


def is_partner_user(user: Any) -> bool:
    return _active(user) and user.role == Role.PARTNER


def official_district(user: Any) -> District | None:
    """The district an official serves; None for every other role."""
    return user.district if is_official(user) else None


def partner_of(user: Any) -> Partner | None:
    """The partner a partner person works for (None if they belong to none)."""
    if not is_partner_user(user):
        return None
    return user.partners.filter(is_active=True).order_by("pk").first()


def districts_managed_by(user: Any) -> QuerySet[District]:
    """Districts whose data the user may manage: all for the city, one for an official."""
    if is_city(user):
        return District.objects.all()
    if is_official(user):
        return District.objects.filter(pk=user.district_id)
    return District.objects.none()


def district_filter(user: Any, field: str = "district") -> dict[str, Any] | None:
    """Keyword filter limiting a queryset to the user's districts.

    Returns `{}` for the city (no limit), `{field: id}` for an official and None when the
    user manages no district (the caller then returns `.none()`). Use it in `visible_to`:

        f = district_filter(user, "vehicle__owner__district")
        return Reading.objects.none() if f is None else Reading.objects.filter(**f)
    """
    if is_city(user):
        return {}
    if is_official(user):
        return {field: user.district_id}
    return None


def users_visible_to(user: Any) -> QuerySet[User]:
    """People a user may look up: the city all, an official their district, others themselves."""
    f = district_filter(user)
    if f is not None:
        return User.objects.filter(**f)
    if _active(user):
        return User.objects.filter(pk=user.pk)
    return User.objects.none()
