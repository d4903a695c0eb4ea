"""회원 탈퇴: show the remaining balance, then close the account.

At closure the member's identity is erased (name, phone, birth date, CI, sign-in name replaced
by a pseudonym, password unusable, consents withdrawn, pending codes deleted); the ledger keeps
every posting (books never change) on the same wallet, now tied to a pseudonymous account, and
what was left in the wallet is forfeited by one posting to the expiry account. Photos are erased
later (`purge_closed_accounts`, retention in docs/privacy.md)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mileage.accounts.models import Role
from mileage.ledger import services as ledger
from mileage.ledger.models import Account, AccountKind

from ..errors import MemberError, WrongPassword
from ..models import Closure, Consent, PhoneCode, SmsMessage


class BalanceChanged(MemberError):
    code = "member.balance_changed"
    message = "확인한 뒤 잔액이 바뀌었습니다. 바뀐 잔액을 확인하고 다시 탈퇴해 주세요."
    status = 409


class NotAMember(MemberError):
    code = "member.not_a_member"
    message = "담당자·협력기관 계정은 여기서 탈퇴할 수 없습니다. 서울시 담당 부서에 문의해 주세요."
    status = 403


def photo_retention() -> dt.timedelta:
    """How long reading photos of a closed account are kept (appeals and audits of awards)."""
    return dt.timedelta(days=int(getattr(settings, "MILEAGE_CLOSED_PHOTO_RETENTION_DAYS", 365)))


def wallets(user: Any) -> list[Account]:
    return list(Account.objects.filter(user=user, kind=AccountKind.WALLET).order_by("pk"))


def remaining_balance(user: Any) -> int:
    """What the member would give up: the spendable (unexpired) mileage of their wallets."""
    return sum(ledger.spendable(w) for w in wallets(user))


def close_account(user: Any, password: str, shown_balance: int) -> Closure:
    """Close the account after the member confirmed the balance shown to them."""
    if user.role != Role.CITIZEN:
        raise NotAMember()
    if not user.check_password(password):
        raise WrongPassword()
    if remaining_balance(user) != shown_balance:
        raise BalanceChanged()
    now = timezone.now()
    sink = ledger.account(AccountKind.EXPIRED, name="소멸 마일리지")
    with transaction.atomic():
        forfeited = 0
        for wallet in wallets(user):
            amount = ledger.spendable(wallet)
            if amount > 0:
                ledger.post(
                    f"member:close:{user.pk}:wallet:{wallet.pk}",
                    [(wallet, -amount), (sink, amount)],
                    kind="expiry",
                    memo="회원 탈퇴로 소멸",
                )
                forfeited += amount
        closure = Closure.objects.create(
            user=user,
            closed_at=now,
            balance_forfeited=forfeited,
            photos_erase_on=timezone.localdate() + photo_retention(),
        )
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
        if user.phone:
            PhoneCode.objects.filter(phone=user.phone).delete()
            SmsMessage.objects.filter(phone=user.phone).delete()
        _pseudonymise(user)
    return closure


def _pseudonymise(user: Any) -> None:
    user.username = f"closed-{secrets.token_hex(8)}"
    user.display_name = "탈퇴 회원"
    user.first_name = user.last_name = user.email = ""
    user.phone = ""
    user.birth_date = None
    user.ci = None
    user.identity_verified_at = None
    user.community_centre = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
