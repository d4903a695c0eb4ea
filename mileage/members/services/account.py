"""The member's own account: re-verification (name and phone change), consents, passwords."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mileage.core.models import NoticePreference

from .. import codes
from .. import consents as items
from ..errors import AlreadyJoined, IdentityMismatch, MemberError, NotWithdrawable, WrongPassword
from ..identity import VerifiedIdentity
from ..models import Consent, Purpose
from ..phones import normalise_phone


def apply_reverification(user: Any, identity: VerifiedIdentity) -> list[str]:
    """Take name and phone from a new verification of the same person (same CI); an account
    made before 본인인증 gets its CI now. Returns the Korean names of what changed."""
    User = get_user_model()
    if user.ci and user.ci != identity.ci:
        raise IdentityMismatch()
    if not user.ci and User.objects.filter(ci=identity.ci).exclude(pk=user.pk).exists():
        raise AlreadyJoined("이 본인인증 정보로 이미 다른 계정이 있습니다.")
    changed = []
    if user.display_name != identity.name:
        changed.append("이름")
    if user.phone != identity.phone:
        changed.append("휴대전화 번호")
    with transaction.atomic():
        user.display_name = identity.name
        user.phone = identity.phone
        user.birth_date = identity.birth_date
        user.ci = identity.ci
        user.identity_verified_at = timezone.now()
        user.save(
            update_fields=["display_name", "phone", "birth_date", "ci", "identity_verified_at"]
        )
    return changed


def district_confirmed(user: Any) -> bool:
    """The chosen district is confirmed once the registry puts one of the member's enrolled
    vehicles in that district."""
    from mileage.vehicles.models import Vehicle

    return bool(
        user.district_id
        and Vehicle.objects.filter(owner=user, district_id=user.district_id).exists()
    )


def live_consents(user: Any) -> dict[str, Consent]:
    return {c.item: c for c in Consent.objects.filter(user=user, withdrawn_at__isnull=True)}


def withdraw_consent(user: Any, key: str) -> None:
    """Withdraw an optional consent (the record stays, with the time it was withdrawn)."""
    item = items.BY_KEY.get(key)
    if item is None:
        raise MemberError("알 수 없는 동의 항목입니다.", status=404)
    if item.required:
        raise NotWithdrawable()
    Consent.objects.filter(user=user, item=key, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def give_consent(user: Any, key: str) -> None:
    """Agree to an optional item (its current wording and version)."""
    item = items.BY_KEY.get(key)
    if item is None:
        raise MemberError("알 수 없는 동의 항목입니다.", status=404)
    with transaction.atomic():
        if not Consent.objects.filter(user=user, item=key, withdrawn_at__isnull=True).exists():
            Consent.objects.create(
                user=user,
                item=key,
                version=item.version,
                wording=item.wording,
                required=item.required,
                given_at=timezone.now(),
            )


def change_password(user: Any, old: str, new: str) -> None:
    if not user.check_password(old):
        raise WrongPassword("지금 비밀번호가 올바르지 않습니다.", field="old_password")
    user.set_password(new)
    user.save(update_fields=["password"])


def start_reset(username: str, raw_phone: str) -> str:
    """Send a reset code to the account's phone when username and phone match an active
    account. Otherwise nothing is sent but a token is still returned, so the page cannot be
    used to find out who has an account."""
    phone = normalise_phone(raw_phone)
    User = get_user_model()
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    matches = False
    if user is not None and user.phone:
        try:
            matches = normalise_phone(user.phone) == phone
        except MemberError:
            matches = False
    payload = {"user": user.pk if matches and user is not None else None}
    return codes.send_code(phone, Purpose.RESET, payload, deliver=matches)


def confirm_reset(token: str, code: str) -> Any:
    row = codes.confirm_code(token, code, Purpose.RESET)
    return get_user_model().objects.get(pk=row.payload["user"], is_active=True)


def reset_password(user: Any, new: str) -> None:
    from axes.utils import reset as reset_lockouts

    user.set_password(new)
    user.save(update_fields=["password"])
    reset_lockouts(username=user.username)  # the lock-out that sent them here ends


def notice_preference(user: Any) -> NoticePreference | None:
    return NoticePreference.objects.filter(user=user).first()


def notice_initial(user: Any) -> dict[str, Any]:
    """The 알림 수신 설정 form's values: the member's choice, or what is done without one
    (SMS when there is a phone number, else e-mail; every notice)."""
    found = notice_preference(user)
    if found is None:
        return {
            "sms": bool(user.phone),
            "email": not user.phone,
            "email_address": user.email,
            "non_essential": True,
        }
    return {
        "sms": found.sms,
        "email": found.email,
        "email_address": user.email,
        "non_essential": found.non_essential,
    }


def save_notice_preference(
    user: Any, *, sms: bool, email: bool, email_address: str, non_essential: bool
) -> NoticePreference:
    """Keep the member's channels and opt-out (the form checked them); the e-mail address is
    the account's."""
    with transaction.atomic():
        if email_address != user.email:
            user.email = email_address
            user.save(update_fields=["email"])
        found, _ = NoticePreference.objects.update_or_create(
            user=user, defaults={"sms": sms, "email": email, "non_essential": non_essential}
        )
    return found
