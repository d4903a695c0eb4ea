"""Permissions an API key can carry (scoped to one partner).

Apps that add partner endpoints add their permission here (one line) and protect the
endpoint with `ApiKeyAuth("<name>")`; an unknown name fails at import time, so typos never
silently open or close an endpoint.
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "partner:read": "자기 기관 정보 조회",
    "pilot:readings": "2014 시범사업 주행거리 제출·조회 (보험사)",
    "walking:steps": "걸음 수 전송 (보행 앱)",
    "coupons:redeem": "쿠폰 사용 처리 (가맹점)",
    "donations:read": "기부 현황 조회 (후원 기관)",
    "vehicles:verify": "차량 정보 확인 (자동차 제조사)",
    "connected:readings": "커넥티드카 주행거리 전송 (자동차 제조사, ECO-18)",
}

# What a new key of each partner kind gets unless the partner asks for less.
DEFAULT_PERMISSIONS: dict[str, list[str]] = {
    "insurer": ["partner:read", "pilot:readings"],
    "walking_app": ["partner:read", "walking:steps"],
    "merchant": ["partner:read", "coupons:redeem"],
    "sponsor": ["partner:read", "donations:read"],
    "carmaker": ["partner:read", "vehicles:verify", "connected:readings"],
}


def check_known(names: list[str]) -> list[str]:
    """Return the names unchanged, or raise ValueError naming the unknown ones."""
    unknown = sorted(set(names) - PERMISSIONS.keys())
    if unknown:
        raise ValueError(f"unknown permission(s): {', '.join(unknown)}")
    return sorted(set(names))
