"""Korean errors of joining and the account pages; `field` says which form field they concern."""

from __future__ import annotations

from typing import Any

from mileage.core.errors import DomainError


class MemberError(DomainError):
    """A refused sign-up or account step; `field` is the form field the message belongs next to
    (None: the whole form)."""

    field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None, **kw: Any):
        super().__init__(message, **kw)
        if field is not None:
            self.field = field


class BadPhone(MemberError):
    code = "member.bad_phone"
    message = "휴대전화 번호를 확인해 주세요. 예: 010-1234-5678"
    field = "phone"


class UnderFourteen(MemberError):
    code = "member.under_14"
    message = (
        "만 14세 미만은 법정대리인 동의 필요 — 개인정보보호법 제22조의2에 따라 만 14세 미만 "
        "아동은 법정대리인의 동의가 있어야 가입할 수 있어 온라인 가입을 받을 수 없습니다."
    )
    field = "birth_date"


class WrongCode(MemberError):
    code = "member.wrong_code"
    message = "인증번호가 맞지 않습니다."
    field = "code"


class CodeExpired(MemberError):
    code = "member.code_expired"
    message = "인증번호의 유효시간이 지났습니다. 인증번호를 다시 받아 주세요."
    field = "code"


class TooManyTries(MemberError):
    code = "member.too_many_tries"
    message = "인증번호를 5번 틀렸습니다. 잠시 뒤에 다시 시도해 주세요."
    field = "code"
    status = 429


class VerificationMissing(MemberError):
    code = "member.verification_missing"
    message = "본인인증을 먼저 해 주세요."


class AlreadyJoined(MemberError):
    code = "member.already_joined"
    message = (
        "이미 가입된 분입니다. 한 사람은 한 계정만 만들 수 있습니다. "
        "아이디나 비밀번호가 기억나지 않으면 비밀번호 찾기를 이용해 주세요."
    )
    status = 409


class IdentityMismatch(MemberError):
    code = "member.identity_mismatch"
    message = "본인인증 결과가 회원 정보와 다릅니다. 회원 본인의 정보로 인증해 주세요."
    status = 409


class IdentityUnavailable(MemberError):
    code = "member.identity_unavailable"
    message = "본인인증 서비스를 사용할 수 없습니다. 잠시 뒤에 다시 시도해 주세요."
    status = 503


class UsernameTaken(MemberError):
    code = "member.username_taken"
    message = "이미 사용 중인 아이디입니다. 다른 아이디를 입력해 주세요."
    field = "username"
    status = 409


class ConsentRequired(MemberError):
    code = "member.consent_required"
    message = "필수 항목에 동의해야 가입할 수 있습니다."
    field = "consents"


class NotWithdrawable(MemberError):
    code = "member.consent_not_withdrawable"
    message = "필수 동의는 철회할 수 없습니다. 모두 철회하려면 회원 탈퇴를 이용해 주세요."


class WrongPassword(MemberError):
    code = "member.wrong_password"
    message = "비밀번호가 올바르지 않습니다."
    field = "password"
