"""Coupons of partner merchants and city facilities bought with mileage (WALK-6)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


def new_coupon_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


class Coupon(models.Model):
    """WALK-6: an offer priced in mileage with a stock and an expiry date.

    A free coupon (`price_mileage` 0, 받기) needs a sponsor: the sponsor's `SponsorBudget` pays
    the merchant `face_value_won` when a member claims it (one per member). With a `campaign`
    only that campaign's participants may claim it.
    """

    merchant = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("쿠폰", max_length=100)
    description = models.CharField("설명", max_length=300, blank=True)
    price_mileage = models.PositiveIntegerField("가격(마일리지)")
    stock = models.PositiveIntegerField("수량")
    sold = models.PositiveIntegerField(default=0)
    expires_on = models.DateField("유효기간")
    active = models.BooleanField(default=True)
    sponsor = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    face_value_won = models.PositiveIntegerField("액면가(원, 후원사가 가맹점에 지급)", default=0)
    campaign = models.ForeignKey(
        "walking.WalkCampaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coupons",
    )

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sold__lte=models.F("stock")), name="walking_coupon_not_oversold"
            ),
            models.CheckConstraint(  # free only when a sponsor pays its face value
                condition=models.Q(price_mileage__gt=0)
                | models.Q(price_mileage=0, sponsor__isnull=False, face_value_won__gt=0),
                name="walking_coupon_has_price",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.stock - self.sold

    def clean(self) -> None:
        """A free coupon (price 0) names the sponsor that pays and the face value it pays."""
        errors: dict[str, str] = {}
        if self.price_mileage == 0 and not self.sponsor_id:
            errors["sponsor"] = "무료 쿠폰(가격 0)은 후원 기관을 골라야 합니다."
        if self.price_mileage == 0 and not self.face_value_won:
            errors["face_value_won"] = "무료 쿠폰은 후원 기관이 가맹점에 줄 액면가를 입력하세요."
        if errors:
            raise ValidationError(errors)

    @property
    def free(self) -> bool:
        return self.price_mileage == 0


class CouponPurchase(models.Model):
    """A member's bought coupon; its code is redeemed once, by the merchant that issued it."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="purchases")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coupons"
    )
    code = models.CharField(max_length=12, unique=True, default=new_coupon_code)
    bought_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    free = models.BooleanField(default=False)  # claimed (받기), paid by the sponsor

    class Meta:
        ordering = ["-bought_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coupon", "member"],
                condition=models.Q(free=True),
                name="walking_one_free_coupon_per_member",
            )
        ]
