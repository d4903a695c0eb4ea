"""Tables of joining and the account: phone codes, the local identity and SMS stand-ins,
consents with their wording version, and account closures (탈퇴)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Purpose(models.TextChoices):
    SIGNUP = "signup", "회원가입"
    REVERIFY = "reverify", "본인 재인증"
    RESET = "reset", "비밀번호 재설정"


class PhoneCode(models.Model):
    """A 6-digit code sent by SMS (본인인증 or password reset); only its keyed hash is kept.

    Five wrong tries lock the phone number for a while (`locked_until`)."""

    token = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)  # what the code proves (name, user id)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)


class LocalIdentity(models.Model):
    """The local identity provider's stand-in for a carrier's subscriber record: the CI it gave
    a person (keyed HMAC of name and birth date on first verification), kept so the same person
    keeps the same CI after a change of phone number or name (개명)."""

    ci = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=50)
    birth_date = models.DateField()
    phone = models.CharField(max_length=20, db_index=True)


class SmsMessage(models.Model):
    """What the local SMS gateway "sent" (listed at /dev/messages/ during development)."""

    phone = models.CharField(max_length=20, db_index=True)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


class Consent(models.Model):
    """One consent (개인정보보호법 제15·22조): item, wording version and text, when given and
    when withdrawn. A member has at most one live consent per item."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_consents"
    )
    item = models.CharField(max_length=30)
    version = models.CharField(max_length=20)
    wording = models.TextField()
    required = models.BooleanField()
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="member_one_live_consent_per_item",
            )
        ]


class Closure(models.Model):
    """A closed account (탈퇴): when, the mileage forfeited, and when the kept records are
    erased (docs/privacy.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closure"
    )
    closed_at = models.DateTimeField()
    balance_forfeited = models.BigIntegerField(default=0)
    photos_erase_on = models.DateField()
    photos_erased_at = models.DateTimeField(null=True, blank=True)
