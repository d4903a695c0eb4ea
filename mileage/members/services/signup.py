"""Joining (회원가입): verify the person, refuse a second account for the same CI, create the
member with their consents in one transaction. Insurer-created pilot members claim the account
made for them the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mileage.accounts.models import District, Role

from .. import consents as items
from ..errors import AlreadyJoined, ConsentRequired, UnderFourteen, UsernameTaken
from ..identity import VerifiedIdentity, get_identity_provider
from ..models import Consent, Purpose
from ..phones import normalise_phone

# 개인정보보호법 제22조의2: a child under 14 needs a legal guardian's consent, which online
# sign-up cannot collect; the age is the statute's, not a programme parameter.
MIN_AGE = 14


def age_on(birth_date: dt.date, today: dt.date) -> int:
    """만 나이 (full years) on `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def check_age(birth_date: dt.date, today: dt.date | None = None) -> None:
    if age_on(birth_date, today or timezone.localdate()) < MIN_AGE:
        raise UnderFourteen()


def check_required_consents(keys: Iterable[str]) -> None:
    if not set(items.REQUIRED) <= set(keys):
        raise ConsentRequired()


def start_verification(name: str, birth_date: dt.date, raw_phone: str, purpose: str) -> str:
    """Send the code for a verification; refuses an under-14 applicant before anything is sent."""
    phone = normalise_phone(raw_phone)
    if purpose == Purpose.SIGNUP:
        check_age(birth_date)
    return get_identity_provider().start(
        name=name, birth_date=birth_date, phone=phone, purpose=purpose
    )


def confirm_verification(token: str, code: str, purpose: str) -> VerifiedIdentity:
    identity = get_identity_provider().confirm(token, code, purpose=purpose)
    if purpose == Purpose.SIGNUP:
        check_age(identity.birth_date)
    return identity


def claimable_account(identity: VerifiedIdentity) -> Any:
    """The account an insurer made for this person in the pilot (no usable password yet), if
    any: known by CI, or (made before CIs were sent) by the same name and mobile number."""
    User = get_user_model()
    candidates = User.objects.filter(role=Role.CITIZEN, closure__isnull=True).filter(
        Q(ci=identity.ci) | Q(ci__isnull=True, display_name=identity.name)
    )
    for user in candidates.order_by("pk"):
        if user.has_usable_password():
            continue
        if user.ci == identity.ci:
            return user
        try:
            if user.phone and normalise_phone(user.phone) == identity.phone:
                return user
        except Exception:  # a malformed phone an insurer sent long ago: not this person
            continue
    return None


def check_not_joined(identity: VerifiedIdentity) -> None:
    """One person, one account: a CI already joined is refused (unless it is a pilot claim)."""
    User = get_user_model()
    joined = User.objects.filter(ci=identity.ci).first()
    if joined is not None and claimable_account(identity) is None:
        raise AlreadyJoined()


def _record_consents(user: Any, keys: Iterable[str], now: dt.datetime) -> None:
    chosen = set(keys)
    Consent.objects.bulk_create(
        Consent(
            user=user,
            item=item.key,
            version=item.version,
            wording=item.wording,
            required=item.required,
            given_at=now,
        )
        for item in items.ITEMS
        if item.key in chosen
    )


def join(
    identity: VerifiedIdentity,
    *,
    username: str,
    password: str,
    district: District,
    consent_keys: Iterable[str],
) -> Any:
    """Create the member (or complete the pilot account made for them) and store the consents.
    The CI's uniqueness is the database's job, so two simultaneous sign-ups cannot both win."""
    check_required_consents(consent_keys)
    check_age(identity.birth_date)
    check_not_joined(identity)
    User = get_user_model()
    claimed = claimable_account(identity)
    taken = User.objects.filter(username=username)
    if claimed is not None:
        taken = taken.exclude(pk=claimed.pk)
    if taken.exists():
        raise UsernameTaken()
    now = timezone.now()
    try:
        with transaction.atomic():
            user = claimed or User(role=Role.CITIZEN)
            user.username = username
            user.password = make_password(password)
            user.display_name = identity.name
            user.phone = identity.phone
            user.birth_date = identity.birth_date
            user.ci = identity.ci
            user.identity_verified_at = now
            user.district = district
            user.save()
            _record_consents(user, consent_keys, now)
    except IntegrityError as exc:
        if User.objects.filter(ci=identity.ci).exclude(pk=getattr(claimed, "pk", None)).exists():
            raise AlreadyJoined() from exc
        raise UsernameTaken() from exc
    return user
