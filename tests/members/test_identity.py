"""The local identity provider and phone codes: a 6-digit code through the SMS gateway, a stable
CI per person, wrong and expired codes, five tries and then a wait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.members import codes
from mileage.members.errors import CodeExpired, TooManyTries, VerificationMissing, WrongCode
from mileage.members.identity import LocalIdentityProvider, local_ci
from mileage.members.models import PhoneCode, SmsMessage

from .support import last_code

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1991, 4, 17)
PHONE = "010-2741-3391"


def _verify(name: str = "박새봄", birth: dt.date = BIRTH, phone: str = PHONE):  # type: ignore[no-untyped-def]
    provider = LocalIdentityProvider()
    token = provider.start(name=name, birth_date=birth, phone=phone, purpose="signup")
    return provider.confirm(token, last_code(phone), purpose="signup")


def test_code_is_sent_through_the_sms_gateway_and_only_its_hash_is_kept() -> None:
    token = LocalIdentityProvider().start(
        name="박새봄", birth_date=BIRTH, phone=PHONE, purpose="signup"
    )
    message = SmsMessage.objects.get(phone=PHONE)
    code = last_code(PHONE)
    assert "인증번호" in message.body and len(code) == 6
    row = PhoneCode.objects.get(token=token)
    assert code not in row.code_hash and row.code_hash


def test_verification_returns_the_person_and_a_ci_like_the_real_one() -> None:
    identity = _verify()
    assert identity.name == "박새봄" and identity.birth_date == BIRTH and identity.phone == PHONE
    assert len(identity.ci) == 88 and identity.ci == local_ci("박새봄", BIRTH)


def test_same_person_gets_the_same_ci_also_after_a_new_phone_number_or_a_new_name() -> None:
    first = _verify()
    assert _verify().ci == first.ci
    assert _verify(phone="010-9999-0001").ci == first.ci  # new number, same name and birth
    assert _verify(name="박봄", phone="010-9999-0001").ci == first.ci  # 개명, same number
    assert _verify(name="김다른", phone="010-5555-0002").ci != first.ci


def test_ci_depends_on_the_key() -> None:
    ci = local_ci("박새봄", BIRTH)
    from django.test import override_settings

    with override_settings(MILEAGE_LOCAL_IDENTITY_KEY="another-key"):
        assert local_ci("박새봄", BIRTH) != ci


def test_wrong_code_counts_and_says_how_many_tries_are_left() -> None:
    token = codes.send_code(PHONE, "signup", {})
    with pytest.raises(WrongCode) as error:
        codes.confirm_code(token, "000000" if last_code(PHONE) != "000000" else "111111", "signup")
    assert "4번 더" in error.value.message
    assert PhoneCode.objects.get(token=token).tries == 1


def test_expired_code_is_refused() -> None:
    token = codes.send_code(PHONE, "signup", {})
    PhoneCode.objects.filter(token=token).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(CodeExpired):
        codes.confirm_code(token, last_code(PHONE), "signup")


def test_five_wrong_tries_lock_the_number_for_a_while_even_for_the_right_code() -> None:
    token = codes.send_code(PHONE, "signup", {})
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(WrongCode):
            codes.confirm_code(token, wrong, "signup")
    with pytest.raises(TooManyTries) as error:
        codes.confirm_code(token, wrong, "signup")
    assert "10분 뒤" in error.value.message
    with pytest.raises(TooManyTries):
        codes.confirm_code(token, right, "signup")
    with pytest.raises(TooManyTries):  # no new code for that number during the wait
        codes.send_code(PHONE, "signup", {})
    PhoneCode.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    new = codes.send_code(PHONE, "signup", {})
    assert codes.confirm_code(new, last_code(PHONE), "signup").verified_at is not None


def test_a_code_works_once_and_only_for_its_purpose() -> None:
    token = codes.send_code(PHONE, "signup", {})
    code = last_code(PHONE)
    with pytest.raises(VerificationMissing) as error:
        codes.confirm_code(token, code, "reset")
    assert "다시 받아" in str(error.value)
    codes.confirm_code(token, code, "signup")
    with pytest.raises(VerificationMissing):
        codes.confirm_code(token, code, "signup")
