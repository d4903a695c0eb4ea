"""Walking errors: stable codes and Korean messages (WALK-1..7)."""

from __future__ import annotations

from mileage.core.errors import DomainError


class WalkingError(DomainError):
    code = "walking.error"
    message = "걷기 마일리지 요청을 처리할 수 없습니다."
    status = 400


class PayloadTooLarge(WalkingError):
    """WALK-1: a feed request over the row limit is refused whole."""

    code = "walking.payload_too_large"
    message = "한 번에 보낼 수 있는 행 수를 넘었습니다. 나누어 보내 주세요."
    status = 413


class BadPayload(WalkingError):
    code = "walking.bad_payload"
    message = "걸음 수 자료의 형식이 올바르지 않습니다."


class NotAWalkingApp(WalkingError):
    code = "walking.not_a_walking_app"
    message = "보행 앱으로 등록된 협력기관이 아닙니다."
    status = 403


class NothingToDonate(WalkingError):
    """WALK-4: every step in the campaign period was already donated (or none was walked)."""

    code = "walking.nothing_to_donate"
    message = "기부할 수 있는 걸음이 없습니다. 이미 기부한 걸음은 다시 기부할 수 없습니다."
    status = 409


class TooManySteps(WalkingError):
    """WALK-4: more steps than the member may still donate (a typo must not give them all)."""

    code = "walking.too_many_steps"

    def __init__(self, available: int) -> None:
        message = (
            f"기부할 수 있는 걸음은 {available:,}보입니다. 그보다 적게 입력하세요."
            if available > 0
            else NothingToDonate.message
        )
        super().__init__(message)


class CampaignClosed(WalkingError):
    code = "walking.campaign_closed"
    message = "기부 기간이 아닌 캠페인입니다."
    status = 409


class BudgetExhausted(WalkingError):
    """WALK-4: the sponsor's budget is spent; it is never exceeded."""

    code = "walking.budget_exhausted"
    message = "후원 예산이 모두 소진되어 더 이상 기부할 수 없습니다."
    status = 409


class ChallengeClosed(WalkingError):
    code = "walking.challenge_closed"
    message = "참여 기간이 아닌 챌린지입니다."
    status = 409


class SoldOut(WalkingError):
    """WALK-6: no coupon left; stock is never oversold."""

    code = "walking.coupon_sold_out"
    message = "쿠폰이 모두 소진되었습니다."
    status = 409


class CouponExpired(WalkingError):
    code = "walking.coupon_expired"
    message = "유효기간이 지난 쿠폰입니다."
    status = 409


class CouponUnknown(WalkingError):
    code = "walking.coupon_unknown"
    message = "이 가맹점에서 발행한 쿠폰 번호가 아닙니다."
    status = 404


class CouponAlreadyRedeemed(WalkingError):
    """WALK-6: a coupon is redeemed once."""

    code = "walking.coupon_already_redeemed"
    message = "이미 사용 처리된 쿠폰입니다."
    status = 409


class EventFull(WalkingError):
    code = "walking.event_full"
    message = "정원이 가득 찬 행사입니다."
    status = 409


class NotRegistered(WalkingError):
    code = "walking.not_registered"
    message = "이 행사에 신청하지 않았습니다."
    status = 409


class BadCsv(WalkingError):
    code = "walking.bad_csv"
    message = (
        "CSV 파일을 읽을 수 없습니다. 머리글이 member,date,steps 인 UTF-8 파일인지 확인하세요."
    )


class UnknownMember(WalkingError):
    """WALK-1/WALK-7: the link token is not an active link of this partner."""

    code = "walking.unknown_member"
    message = "이 앱과 연결된 회원이 아닙니다 (연결 해제되었거나 잘못된 토큰)."
    status = 404


class StampUnknown(WalkingError):
    code = "walking.stamp_unknown"
    message = "등록되지 않은 스탬프 지점입니다."
    status = 404


class StampTooFar(WalkingError):
    """WALK-7 [interp]: a check-in farther than `walk.stamp_radius_m` from the point stamps nothing."""

    code = "walking.stamp_too_far"

    def __init__(self, distance_m: int, radius_m: int) -> None:
        super().__init__(
            f"스탬프 지점에서 {distance_m:,}m 떨어진 위치라 인정되지 않습니다 "
            f"(지점에서 {radius_m:,}m 이내여야 합니다).",
            detail={"distance_m": distance_m, "radius_m": radius_m},
        )


class AppealEmpty(WalkingError):
    """WALK-1 [interp]: an appeal of a held day needs a few words."""

    code = "walking.appeal_empty"
    message = "이의 신청 내용을 적어 주세요."


class AppealExists(WalkingError):
    """WALK-1 [interp]: one appeal per held day."""

    code = "walking.appeal_exists"
    message = "이 날짜에는 이미 이의 신청을 했습니다. 결정을 기다려 주세요."
    status = 409


class HeldDayDecided(WalkingError):
    """WALK-1 [interp]: a held day is decided once (지급 or 지급 안 함)."""

    code = "walking.held_day_decided"
    message = "이미 결정된 보류 날짜입니다."
    status = 409


class RefusalReasonRequired(WalkingError):
    """WALK-1 [interp]: refusing to pay a held day needs a reason the member will read."""

    code = "walking.refusal_reason_required"
    message = "지급하지 않는 이유를 적어 주세요. 회원에게 그대로 안내됩니다."


class CampaignUnknown(WalkingError):
    """A join link or QR code with a campaign address that does not exist (or no longer)."""

    code = "walking.campaign_unknown"
    message = "찾을 수 없는 캠페인입니다. 주소를 다시 확인하거나 진행 중인 캠페인 목록을 보세요."
    status = 404


class CampaignOver(WalkingError):
    code = "walking.campaign_over"
    message = "이미 끝났거나 진행하지 않는 캠페인입니다."
    status = 409


class NotParticipant(WalkingError):
    code = "walking.not_participant"
    message = "캠페인 참여자만 받을 수 있는 쿠폰입니다. 먼저 캠페인에 참여해 주세요."
    status = 409


class CouponAlreadyClaimed(WalkingError):
    """A free coupon is claimed once per member (a unique index backs it up)."""

    code = "walking.coupon_already_claimed"
    message = "이미 받은 쿠폰입니다. 무료 쿠폰은 한 사람당 한 장만 받을 수 있습니다."
    status = 409


class SponsorBudgetExhausted(WalkingError):
    """The sponsor's walking budget cannot pay any more; it is never exceeded."""

    code = "walking.sponsor_budget_exhausted"
    message = "후원 예산이 모두 소진되어 더 이상 받을 수 없습니다."
    status = 409


class WrongCouponKind(WalkingError):
    code = "walking.coupon_wrong_kind"
    message = "무료 쿠폰은 '받기'로, 유료 쿠폰은 '구매'로 받을 수 있습니다."
    status = 409
