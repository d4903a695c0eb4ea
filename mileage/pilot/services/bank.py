"""The member's bank account for the payout (PILOT-8: 은행계좌 포함 증빙), encrypted at rest."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import transaction

from mileage.core import audit

from .. import crypto, errors
from ..models import BankAccount

log = logging.getLogger(__name__)

ACCOUNT_DIGITS = re.compile(r"^\d{10,16}$")  # Korean bank account numbers: 10–16 digits


BANK_NAME_MAX = BankAccount._meta.get_field("bank_name").max_length or 30
HOLDER_NAME_MAX = BankAccount._meta.get_field("holder_name").max_length or 50


def set_bank_account(member: Any, *, bank_name: str, holder_name: str, number: str) -> BankAccount:
    """Store (or replace) the member's payout account. Only the Fernet token and the last four
    digits are written; the clear number is never logged or kept on the returned object."""
    digits = crypto.normalise_account_number(number)
    if not ACCOUNT_DIGITS.match(digits):
        raise errors.BadBankAccount()
    bank_name, holder_name = bank_name.strip(), holder_name.strip()
    if not bank_name or not holder_name:
        raise errors.BadBankAccount("은행과 예금주를 입력해 주세요.")
    # Refused, never cut (issue #13, finding 6): a cut name would pay a different holder.
    if len(bank_name) > BANK_NAME_MAX or len(holder_name) > HOLDER_NAME_MAX:
        raise errors.BadBankAccount(
            f"은행 이름은 {BANK_NAME_MAX}자, 예금주는 {HOLDER_NAME_MAX}자 이하로 입력해 주세요."
        )
    if any(not ch.isprintable() for ch in bank_name + holder_name):
        raise errors.BadBankAccount("은행 이름과 예금주에는 줄바꿈이나 제어 문자를 쓸 수 없습니다.")
    with transaction.atomic():
        account, _ = BankAccount.objects.update_or_create(
            member=member,
            defaults={
                "bank_name": bank_name,
                "holder_name": holder_name,
                "number_encrypted": crypto.encrypt(digits),
                "last_digits": digits[-4:],
            },
        )
        audit.record(
            member,
            "pilot.bank_account",
            data={"bank": account.bank_name, "account": account.masked},
        )
    log.info("bank account set member=%s account=%s", member.pk, account.masked)
    return account
