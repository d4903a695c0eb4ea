"""People, roles and Seoul's 25 districts (자치구)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """자치구: one of Seoul's 25 autonomous districts."""

    code = models.CharField(max_length=5, unique=True)  # 행정표준코드 (e.g. 11440 = 마포구)
    name_ko = models.CharField(max_length=20, unique=True)
    name_en = models.CharField(max_length=40)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_ko


class Role(models.TextChoices):
    CITIZEN = "citizen", _("시민")
    OFFICIAL = "official", _("구청·주민센터 담당자")
    CITY = "city", _("서울시 담당자")
    PARTNER = "partner", _("협력기관")


class User(AbstractUser):
    """A person who signs in. Scope comes from `role` and, for officials, `district`."""

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CITIZEN)
    display_name = models.CharField("이름", max_length=50, blank=True)
    phone = models.CharField("휴대전화", max_length=20, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )  # officials: the district they serve; citizens: where they live
    community_centre = models.CharField("주민센터", max_length=40, blank=True)
    # 본인인증 (identity verification): the person's CI (연계정보) makes one person one account.
    ci = models.CharField("연계정보(CI)", max_length=100, null=True, blank=True, unique=True)
    birth_date = models.DateField("생년월일", null=True, blank=True)
    identity_verified_at = models.DateTimeField("본인인증 일시", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="official") | models.Q(district__isnull=False),
                name="official_has_district",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username
