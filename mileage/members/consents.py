"""Consent items (개인정보보호법 제15조·제17조·제22조) with versioned wording.

Changing a wording means a new `version` (shown as 제N판); members keep the version they agreed to (stored with
its text and time in `Consent`). Required items are needed to join; optional ones may be
refused at sign-up and withdrawn later on the profile page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentItem:
    key: str
    title: str
    version: str
    required: bool
    wording: str


ITEMS: tuple[ConsentItem, ...] = (
    ConsentItem(
        key="terms",
        title="서울 마일리지 이용약관",
        version="1",
        required=True,
        wording=(
            "서울 마일리지 이용약관에 동의합니다. 마일리지는 서울시 시민 실천 프로그램의 참여 "
            "결과에 따라 지급되며, 부정한 방법으로 받은 마일리지는 회수될 수 있습니다."
        ),
    ),
    ConsentItem(
        key="personal_info",
        title="개인정보 수집·이용",
        version="1",
        required=True,
        wording=(
            "수집 항목: 이름, 생년월일, 휴대전화 번호, 연계정보(CI), 거주 자치구, 차량번호와 "
            "주행거리 사진, 걸음 수. 목적: 회원 확인, 마일리지 프로그램 운영과 지급, 부정 참여 "
            "방지. 보유 기간: 탈퇴 시까지(마일리지 지급 기록은 관계 법령에 따라 5년 보관). "
            "동의를 거부할 수 있으나 거부하면 가입할 수 없습니다."
        ),
    ),
    ConsentItem(
        key="sms_news",
        title="마일리지 소식 문자 수신",
        version="1",
        required=False,
        wording=(
            "주행거리 등록 기간, 마일리지 소멸 예정, 새 캠페인 소식을 휴대전화 문자로 받습니다. "
            "동의하지 않아도 가입과 이용에 제한이 없으며, 내 정보에서 언제든 철회할 수 있습니다."
        ),
    ),
    ConsentItem(
        key="research",
        title="정책 연구를 위한 가명정보 활용",
        version="1",
        required=False,
        wording=(
            "주행거리와 걸음 수를 이름과 연락처를 지운 가명정보로 만들어 서울시 교통·기후 정책 "
            "연구에 씁니다. 동의하지 않아도 불이익이 없으며, 내 정보에서 언제든 철회할 수 있습니다."
        ),
    ),
)

BY_KEY = {item.key: item for item in ITEMS}
REQUIRED = tuple(item.key for item in ITEMS if item.required)
OPTIONAL = tuple(item.key for item in ITEMS if not item.required)
