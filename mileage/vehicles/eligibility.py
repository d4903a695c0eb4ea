"""ECO-1 eligibility (참여대상): 서울시에 등록된 12인승 이하 비사업용 승용·승합차, 대표 소유자만."""

from __future__ import annotations

from .registry import RegistryRecord

ELIGIBLE_KINDS = {"passenger", "van"}  # ECO-1: 승용, 승합
SEOUL_CODE_PREFIX = "11"  # 행정표준코드 of Seoul's districts


def ineligibility_reasons(
    record: RegistryRecord | None, person_key: str, *, max_seats: int
) -> list[str]:
    """ECO-1: the Korean reasons why this person may not enrol this vehicle (empty: eligible)."""
    if record is None:
        return ["자동차 등록원부에서 차량번호를 찾을 수 없습니다. 차량번호를 확인해 주세요."]
    reasons = []
    if not record.district_code.startswith(SEOUL_CODE_PREFIX):
        reasons.append("서울시에 등록된 차량만 참여할 수 있습니다.")
    if record.kind not in ELIGIBLE_KINDS:
        reasons.append("승용차와 승합차만 참여할 수 있습니다.")
    if record.seats > max_seats:  # parameter eco.max_seats
        reasons.append(f"승차정원 {max_seats}인 이하 차량만 참여할 수 있습니다.")
    if record.use != "private":
        reasons.append("비사업용 차량만 참여할 수 있습니다.")
    if person_key in record.co_owner_keys:
        reasons.append("공동소유 차량은 대표 소유자만 가입할 수 있습니다.")
    elif person_key != record.owner_key:
        reasons.append("본인 명의의 차량만 등록할 수 있습니다.")
    return reasons
