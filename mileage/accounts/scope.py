"""Who may see what: the one place that knows how roles map to scope.

Apps build every `<app>/queries.py::visible_to(user)` with `restrict(queryset, user, owner=...,
district=..., partner=...)`, so the citizen / official / city / partner switch is written once
and a view never decides authorization on its own. A district official (구청·주민센터 담당자)
is bound to one district; the city programme manager (서울시 담당자) sees every district; a citizen sees only
their own things; a partner person sees only their own partner's things.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import District, Role, User


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


def is_official_or_city(user: Any) -> bool:
    """District staff or the city: who may open review, audit and run pages."""
    return is_official(user) or is_city(user)


def official_district(user: Any) -> District | None:
    """The district an official serves; None for every other role."""
    return user.district if is_official(user) else None


def partner_of(user: Any) -> Any:
    """The `partners.Partner` a partner person works for (None if they belong to none).

    Reached through `Partner.members` (`user.partners`), so accounts never imports partners."""
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


EVERY_DISTRICT = "*"  # `restrict(..., district=EVERY_DISTRICT)`: officials see every row


def restrict(
    queryset: QuerySet[Any],
    user: Any,
    *,
    owner: str | None = None,
    district: str | None = None,
    district_code: str | None = None,
    partner: str | None = None,
) -> QuerySet[Any]:
    """The rows of `queryset` the user may see, by role: the one way every `visible_to` filters.

    Each keyword names the path from the queryset's model to what that role is scoped by; a
    role whose path is not given sees nothing:
    - the city sees every row;
    - an official the rows whose `district` (a District foreign key path) is theirs, or whose
      `district_code` (a code column) is their district's code; `district=EVERY_DISTRICT` lets
      officials see every row;
    - a citizen the rows whose `owner` (a user path) is them;
    - partner staff the rows whose `partner` (a Partner path) is their partner;
    - anyone else (anonymous, inactive, a partner person without a partner) nothing.

        restrict(Reading.objects.all(), user, owner="vehicle__owner", district="vehicle__district")
    """
    if is_city(user):
        return queryset
    if is_official(user):
        if district == EVERY_DISTRICT:
            return queryset
        if district is not None:
            return queryset.filter(**{district: user.district_id})
        if district_code is not None:
            return queryset.filter(**{district_code: user.district.code})
    elif is_citizen(user):
        if owner is not None:
            return queryset.filter(**{owner: user.pk})
    elif is_partner_user(user) and partner is not None:
        found = partner_of(user)
        if found is not None:
            return queryset.filter(**{partner: found.pk})
    return queryset.none()


def users_visible_to(user: Any) -> QuerySet[User]:
    """People a user may look up: the city all, an official their district, others themselves."""
    if is_city(user) or is_official(user):
        return restrict(User.objects.all(), user, district="district")
    return User.objects.filter(pk=user.pk) if _active(user) else User.objects.none()
