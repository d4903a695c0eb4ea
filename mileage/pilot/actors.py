"""The user a partner's API calls are recorded as (submitted_by, audit actor)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from mileage.accounts.models import Role
from mileage.partners.models import Partner


def partner_actor(partner: Partner) -> Any:
    """A service account per partner (role partner, no password), member of that partner."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=f"partner-api-{partner.slug}",
        defaults={"role": Role.PARTNER, "display_name": f"{partner.name} (API)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        partner.members.add(user)
    return user
