"""Audit trail: every decision kept with who, when, what and why (written by the service itself)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from .models import AuditEntry

# What each action is called on the audit pages (officials and the city read Korean, not codes).
ACTION_LABELS: dict[str, str] = {
    "vehicle.register": "차량 등록",
    "vehicle.walk_in": "방문 신청 등록",
    "vehicle.end": "참여 종료",
    "vehicle.change": "차량 변경",
    "reading.submit": "주행거리 제출",
    "reading.photo_check_failed": "사진 확인 실패",
    "reading.connected": "커넥티드카 주행거리 접수",
    "reading.approve": "주행거리 승인",
    "reading.reject": "주행거리 반려",
    "cycle.void": "평가 주기 무효 처리",
    "appeal.open": "이의신청 접수",
    "appeal.accept": "이의신청 인용",
    "appeal.dismiss": "이의신청 기각",
    "pilot.enrol": "시범사업 참여 등록",
    "pilot.bank_account": "지급 계좌 등록",
    "pilot.evaluate": "시범사업 평가",
    "pilot.void": "시범사업 참여 무효",
    "pilot.transfer_export": "이체 파일 내려받기",
    "run.start": "평가 시작",
    "run.cancel": "평가 취소",
    "run.sign_off": "평가 승인",
    "run.pay": "평가 지급",
    "run.export": "평가 결과 내려받기",
    "stats.export": "통계 내려받기",
    "programme.create": "프로그램 항목 추가",
    "programme.update": "프로그램 항목 수정",
    "parameter.propose": "파라미터 변경 제안",
    "parameter.approve": "파라미터 변경 승인",
    "parameter.reject": "파라미터 변경 반려",
    "parameter.withdraw": "파라미터 변경 철회",
    "whatif.run": "정책 시뮬레이션 실행",
    "whatif.export": "정책 시뮬레이션 내려받기",
}


def action_label(action: str) -> str:
    """The Korean name of an audit action (the code itself only for one nobody has named)."""
    return ACTION_LABELS.get(action, action)


def change_of(entry: AuditEntry) -> str:
    """What a decision changed, before → after, from the entry's data (e.g. an official's km
    correction on approval: "95,200 km → 95,100 km"); "" when it changed nothing."""
    data = entry.data or {}
    if entry.action == "parameter.approve" and "parameter" in data:
        before = "없음" if data.get("before") is None else _compact(data["before"])
        return f"{data['parameter']} [{data.get('key')}]: {before} → {_compact(data.get('value'))}"
    if entry.action in ("programme.create", "programme.update") and data.get("changes"):
        return "; ".join(
            f"{name}: {'없음' if old is None else _compact(old)} → {_compact(new)}"
            for name, (old, new) in data["changes"].items()
        )
    if data.get("corrected") and data.get("km_submitted") is not None:
        return f"{data['km_submitted']:,} km → {data['km']:,} km"
    return ""


def _compact(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def record(
    actor: Any,
    action: str,
    subject: Model | None = None,
    *,
    partner: Any = None,
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    **refs: Model | None,
) -> AuditEntry:
    """Write one entry: `record(official, "reading.approve", vehicle, reading=reading)`.

    `refs` name the other objects involved (stored as ids; None is left out).
    """
    return AuditEntry.objects.create(
        actor=actor,
        partner=partner,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        refs={name: obj.pk for name, obj in refs.items() if obj is not None},
        reason=reason,
        note=note,
        data=data or {},
    )


def about(subjects: QuerySet[Any]) -> QuerySet[AuditEntry]:
    """Entries whose subject is one of `subjects` (a queryset of one model; one SQL subquery)."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subjects.model),
        subject_id__in=subjects.values("pk"),
    )
