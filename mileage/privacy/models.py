"""The personal-data access log (개인정보 접근기록, 개인정보보호법 제29조, 안전성 확보조치 기준 제8조).

One row per read of a citizen's personal data by someone other than that citizen: a district
official, the city, a partner's staff or a partner's API key. A row says who (account or key),
when, what kind of data, whose (the citizen, or how many citizens for a list or a file), which
record, and why (downloads must give a reason). Rows are append-only: the model refuses changes
and deletions, and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002). There is no
deletion path in the application; the log is kept at least two years (the PIPA minimum for a
system holding data of 50,000 or more people), see docs/security.md.

This is not the audit trail of decisions (who approved, voided, paid): it records reads.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AccessKind(models.TextChoices):
    PHOTO = "photo", "계기판·번호판 사진 열람"
    READING = "reading", "주행거리 기록·차량 정보 열람"
    APPEAL = "appeal", "이의신청 열람"
    ENROLMENT = "enrolment", "시범사업 가입 정보 열람"
    PAYOUT_LIST = "payout-list", "지급 대상·계좌 목록 열람"
    PAYOUT_FILE = "payout-file", "계좌 이체 파일 내려받기"
    RESULTS_FILE = "results-file", "평가 결과 파일 내려받기"


DOWNLOADS = frozenset({AccessKind.PAYOUT_FILE, AccessKind.RESULTS_FILE})


class AppendOnly(Exception):
    """The access log is append-only (PIPA: kept unaltered for the retention period)."""


class AccessQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("개인정보 접근기록은 수정할 수 없습니다.")

    def delete(self) -> NoReturn:
        raise AppendOnly("개인정보 접근기록은 삭제할 수 없습니다.")


class PersonalDataAccess(models.Model):
    at = models.DateTimeField("일시", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="열람자",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField("열람자 역할", max_length=20)
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    api_key_prefix = models.CharField("API 키", max_length=20, blank=True)
    kind = models.CharField("종류", max_length=20, choices=AccessKind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="정보주체",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_count = models.PositiveIntegerField("정보주체 수", default=1)
    record = models.CharField("대상 기록", max_length=100)
    reason = models.TextField("사유", blank=True)
    path = models.CharField("경로", max_length=300, blank=True)
    ip = models.GenericIPAddressField("접속지", null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["subject", "at"]),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("개인정보 접근기록은 수정할 수 없습니다.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("개인정보 접근기록은 삭제할 수 없습니다.")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.record}"
