"""Partners (협력기관): insurers, walking apps, merchants, sponsors, carmakers, and their API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    INSURER = "insurer", _("보험사")
    WALKING_APP = "walking_app", _("보행 앱")
    MERCHANT = "merchant", _("가맹점")
    SPONSOR = "sponsor", _("후원 기관")
    CARMAKER = "carmaker", _("자동차 제조사")


class Partner(models.Model):
    """An organisation that works with the city through the API or the partner pages."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField("기관명", max_length=80, unique=True)
    kind = models.CharField("유형", max_length=20, choices=PartnerKind.choices)
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partners")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


TOKEN_PREFIX = "mk"


def hash_token(token: str) -> str:
    """SHA-256 of the whole token: the database never holds a usable key."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A partner's API key. Only `prefix` (visible, e.g. `mk_3f9a1c2e`) and the hash are stored."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField("이름", max_length=50)
    prefix = models.CharField(max_length=16, unique=True)
    hashed = models.CharField(max_length=64, unique=True)
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner} {self.prefix}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_permission(self, name: str) -> bool:
        return name in (self.permissions or [])

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh (prefix, token) pair: `mk_<8 hex>` then `_<43 url-safe chars>` of secret."""
        prefix = f"{TOKEN_PREFIX}_{secrets.token_hex(4)}"
        return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
