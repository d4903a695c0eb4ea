"""Community errors: stable codes and Korean messages (issue #11)."""

from __future__ import annotations

from mileage.core.errors import DomainError


class CommunityError(DomainError):
    code = "community.error"
    message = "걷기 모임 요청을 처리할 수 없습니다."
    status = 400
    field = ""  # the form field the message belongs next to


class NameMissing(CommunityError):
    code = "community.name_missing"
    message = "모임 이름을 2~30자로 입력하세요."
    field = "name"


class NameTaken(CommunityError):
    code = "community.name_taken"
    message = "이미 있는 모임 이름입니다. 다른 이름을 정하세요."
    status = 409
    field = "name"


class OffensiveName(CommunityError):
    """WALK-5 [interp] fair play: names everyone sees come from a blocklist kept as data."""

    code = "community.offensive_name"
    message = "쓸 수 없는 말이 들어 있습니다. 다른 이름을 정하세요."
    field = "name"


class NoSuchCode(CommunityError):
    code = "community.no_such_code"
    message = "그런 초대 코드의 모임이 없습니다. 코드를 다시 확인하세요."
    status = 404
    field = "code"


class AlreadyMember(CommunityError):
    code = "community.already_member"
    message = "이미 가입한 모임입니다."
    status = 409
    field = "code"


class CrewFull(CommunityError):
    code = "community.crew_full"
    status = 409
    field = "code"

    def __init__(self, limit: int) -> None:
        super().__init__(f"정원({limit}명)이 찬 모임이라 가입할 수 없습니다.")


class NicknameMissing(CommunityError):
    code = "community.nickname_missing"
    message = "닉네임을 2~20자로 입력하세요."
    field = "nickname"


class NicknameTaken(CommunityError):
    code = "community.nickname_taken"
    message = "다른 회원이 쓰는 닉네임입니다. 다른 닉네임을 정하세요."
    status = 409
    field = "nickname"


class OffensiveNickname(OffensiveName):
    code = "community.offensive_nickname"
    message = "닉네임에 쓸 수 없는 말이 들어 있습니다. 다른 닉네임을 정하세요."
    field = "nickname"


class NotAMember(CommunityError):
    code = "community.not_a_member"
    message = "가입한 모임이 아닙니다."
    status = 404


class ChallengeClosed(CommunityError):
    code = "community.challenge_closed"
    message = "이미 끝난 팀 챌린지입니다."
    status = 409


class CodeMissing(CommunityError):
    code = "community.code_missing"
    message = "초대 코드를 입력하세요."
    field = "code"
