"""WALK-6: coupons bought with mileage and redeemed once by the merchant that issued them."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.partners.models import Partner

from ..errors import (
    CouponAlreadyClaimed,
    CouponAlreadyRedeemed,
    CouponExpired,
    CouponUnknown,
    NotParticipant,
    SoldOut,
    WrongCouponKind,
)
from ..models import CampaignEntry, Coupon, CouponPurchase
from .campaigns import charge_sponsor

log = logging.getLogger(__name__)


def buy_coupon(member: Any, coupon_id: int, *, today: dt.date | None = None) -> CouponPurchase:
    """WALK-6: pay the price from the member's wallet to the merchant; stock never oversold.

    The stock is taken by a conditional UPDATE (`sold < stock`), which the database serialises
    per row; a refused payment (InsufficientMileage) rolls the stock back with it.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        coupon = Coupon.objects.select_related("merchant").get(pk=coupon_id)
        if not coupon.active or coupon.expires_on < today:
            raise CouponExpired()
        if coupon.free:
            raise WrongCouponKind()
        taken = Coupon.objects.filter(pk=coupon.pk, sold__lt=F("stock")).update(sold=F("sold") + 1)
        if not taken:
            raise SoldOut()
        purchase = CouponPurchase.objects.create(coupon=coupon, member=member)
        ledger.transfer(
            f"coupon:buy:{purchase.pk}",
            ledger.account("wallet", user=member),
            ledger.account("merchant", partner=coupon.merchant),
            coupon.price_mileage,
            kind="spend",
            memo=f"쿠폰 구매: {coupon.merchant.name} {coupon.title}",
            effective_on=today,
        )
    log.info("coupon bought member=%s coupon=%s purchase=%s", member.pk, coupon.pk, purchase.pk)
    return purchase


def claim_free_coupon(
    member: Any, coupon_id: int, *, today: dt.date | None = None
) -> CouponPurchase:
    """받기: a free coupon, one per member; the sponsor's budget pays the merchant its face value
    at the claim (`coupon:claim:<purchase id>`, sponsor → merchant).

    Stock and budget are taken by conditional UPDATEs in one transaction, so concurrent claims
    exceed neither; a second claim by the same member is refused before and, when two arrive
    at once, by the unique index (one free coupon per member), which rolls the other back.
    """
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            coupon = Coupon.objects.select_related("merchant", "sponsor").get(pk=coupon_id)
            if not coupon.free:
                raise WrongCouponKind()
            if not coupon.active or coupon.expires_on < today:
                raise CouponExpired()
            if CouponPurchase.objects.filter(coupon=coupon, member=member).exists():
                raise CouponAlreadyClaimed()
            if (
                coupon.campaign_id is not None
                and not CampaignEntry.objects.filter(
                    campaign_id=coupon.campaign_id, member=member
                ).exists()
            ):
                raise NotParticipant()
            taken = Coupon.objects.filter(pk=coupon.pk, sold__lt=F("stock")).update(
                sold=F("sold") + 1
            )
            if not taken:
                raise SoldOut()
            charge_sponsor(coupon.sponsor, coupon.face_value_won)
            purchase = CouponPurchase.objects.create(coupon=coupon, member=member, free=True)
            ledger.transfer(
                f"coupon:claim:{purchase.pk}",
                ledger.account("sponsor", partner=coupon.sponsor),
                ledger.account("merchant", partner=coupon.merchant),
                coupon.face_value_won,
                kind="transfer",
                memo=f"무료 쿠폰 후원: {coupon.sponsor.name} → {coupon.merchant.name} {coupon.title}",
                effective_on=today,
            )
    except IntegrityError as exc:  # the same member's other claim won the unique index
        if CouponPurchase.objects.filter(coupon_id=coupon_id, member=member).exists():
            raise CouponAlreadyClaimed() from exc
        raise
    log.info(
        "free coupon claimed member=%s coupon=%s purchase=%s", member.pk, coupon_id, purchase.pk
    )
    return purchase


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[:12]


def redeem_coupon(merchant: Partner, code: str, *, today: dt.date | None = None) -> CouponPurchase:
    """WALK-6: the issuing merchant marks a code used, once; any other merchant gets 'unknown'."""
    today = today or timezone.localdate()
    purchase = (
        CouponPurchase.objects.select_related("coupon")
        .filter(code=normalise_code(code), coupon__merchant=merchant)
        .first()
    )
    if purchase is None:
        raise CouponUnknown()
    if purchase.redeemed_at is not None:
        raise CouponAlreadyRedeemed()
    if purchase.coupon.expires_on < today:
        raise CouponExpired()
    now = timezone.now()
    done = CouponPurchase.objects.filter(pk=purchase.pk, redeemed_at=None).update(redeemed_at=now)
    if not done:  # another counter redeemed it a moment ago
        raise CouponAlreadyRedeemed()
    purchase.redeemed_at = now
    log.info("coupon redeemed merchant=%s purchase=%s", merchant.slug, purchase.pk)
    return purchase
