"""Odometer readings (주행거리 등록), their photos, cycles and the district review (C-1, ECO-2..5,
ECO-11, ECO-13..17)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class Photo(models.Model):
    """A stored photo: GPS-free re-encoded JPEG, kept once by its content hash (sha256)."""

    sha256 = models.CharField(max_length=64, unique=True)  # of the stored (stripped) bytes
    original_sha256 = models.CharField(max_length=64, db_index=True)  # of the uploaded bytes
    phash = models.CharField(max_length=16)  # perceptual hash (imagehash.phash), hex
    # The 64-bit phash in four 16-bit bands: two hashes within Hamming distance 3 share a band,
    # so near-duplicate candidates are found by index lookups, not by scanning every photo.
    band0 = models.IntegerField(db_index=True)
    band1 = models.IntegerField(db_index=True)
    band2 = models.IntegerField(db_index=True)
    band3 = models.IntegerField(db_index=True)
    file = models.CharField(max_length=200)  # storage name: photos/ab/cd/<sha256>.jpg
    source_format = models.CharField(max_length=10)  # JPEG, PNG, HEIF
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    taken_at = models.DateTimeField(null=True, blank=True)  # EXIF DateTimeOriginal (C-1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256[:12]


class Event(models.TextChoices):
    # The RULES-CLI event words.
    INITIAL = "initial", "최초 등록"
    ANNUAL = "annual", "연간 실적"
    END = "end", "참여 종료"
    CHANGE_OUT = "change-out", "차량 변경(이전 차량)"
    CHANGE_IN = "change-in", "차량 변경(새 차량)"
    SEASON_START = "season-start", "계절관리제 시작"
    SEASON_END = "season-end", "계절관리제 종료"


# Events of the programme run through insurers (PILOT-3) that `Event` does not name.
OTHER_EVENT_LABELS = {"final": "최종 주행거리"}


class ReadingStatus(models.TextChoices):
    # CHECKING / FAILED: photo checks on a worker (READING_PHOTO_CHECKS=worker): stored as sent,
    # checked after the response; FAILED keeps the Korean reason in `review_note`.
    CHECKING = "checking", "사진 확인 중"
    FAILED = "failed", "사진 확인 실패"
    SUBMITTED = "submitted", "심사 대기"
    APPROVED = "approved", "승인"
    REJECTED = "rejected", "반려"


class RejectReason(models.TextChoices):
    PLATE_UNREADABLE = "plate_unreadable", "차량번호판이 보이지 않거나 읽을 수 없음"
    DASHBOARD_UNREADABLE = "dashboard_unreadable", "계기판 누적주행거리가 보이지 않음"
    KM_MISMATCH = "km_mismatch", "입력한 주행거리가 사진과 다름"
    WRONG_VEHICLE = "wrong_vehicle", "참여 차량이 아닌 차량의 사진 (ECO-14)"
    PHOTO_REUSED = "photo_reused", "이전에 제출한 사진과 같음"
    ALTERED = "altered", "사진 또는 주행거리 조작 의심 (ECO-14)"
    OTHER = "other", "기타"


class Channel(models.TextChoices):
    ONLINE = "online", "홈페이지"
    WALK_IN = "walk-in", "방문 신청"
    API = "api", "API"
    CONNECTED = "connected", "커넥티드카"  # ECO-18: signed by a carmaker, no photos, no review


class Reading(models.Model):
    """An odometer value with its plate and dashboard photos (C-1), reviewed by the district."""

    vehicle = models.ForeignKey(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="readings"
    )
    event = models.CharField(max_length=12, choices=Event.choices)
    km = models.PositiveIntegerField("누적주행거리(km)")
    km_submitted = models.PositiveIntegerField()  # as typed; `km` may be corrected at approval
    # Null only for connected-car readings (channel `connected`, ECO-18), which carry a
    # partner's signature instead of photos.
    plate_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dashboard_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_on = models.DateField("촬영일", null=True, blank=True)  # C-1, from EXIF
    uploaded_on = models.DateField("등록일")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    cycle_no = models.PositiveSmallIntegerField(null=True, blank=True)  # annual: cycle it closes
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    warnings = models.JSONField(default=list, blank=True)  # Korean lines shown to the citizen
    status = models.CharField(
        max_length=10, choices=ReadingStatus.choices, default=ReadingStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock for two officials at once
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=25, choices=RejectReason.choices, blank=True)
    review_note = models.TextField(blank=True)
    # While CHECKING: the storage names of the two photos as uploaded (plate, dashboard), not
    # yet checked; null otherwise (the files are removed once checked).
    incoming = models.JSONField(null=True, blank=True)

    @property
    def event_label(self) -> str:
        """The event in Korean, also for the insurer programme's own events (PILOT-3)."""
        return OTHER_EVENT_LABELS.get(self.event) or self.get_event_display()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "event"],
                condition=models.Q(status__in=["submitted", "checking"]),
                name="reading_one_pending_per_vehicle_event",
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(status="approved", event="initial"),
                name="reading_one_approved_initial",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.event} {self.km}km"

    @property
    def effective_on(self) -> dt.date:
        """C-1: the capture date, else the upload date."""
        return self.taken_on or self.uploaded_on


class ReadingFlag(models.Model):
    """An automatic flag shown to the official (never a refusal by itself)."""

    class Code(models.TextChoices):
        NO_CAPTURE_DATE = "no_capture_date", "촬영일 정보 없음"
        CAPTURE_FAR_FROM_UPLOAD = "capture_far_from_upload", "촬영일과 등록일 차이가 큼"
        SAME_PHOTO = "same_photo", "같은 사진이 다른 등록에 사용됨"
        NEAR_DUPLICATE = "near_duplicate", "매우 비슷한 사진이 다른 등록에 있음"
        KM_DECREASED = "km_decreased", "이전 등록보다 주행거리가 적음"
        IMPLAUSIBLE_DAILY_KM = "implausible_daily_km", "하루 주행거리가 비정상적으로 큼"
        LATE_INITIAL = "late_initial", "차량 등록 후 14일이 지난 최초 등록 (ECO-2)"
        LATE_ANNUAL = "late_annual", "등록 기간이 지난 연간 실적 (ECO-5)"
        WALK_IN = "walk_in", "방문 신청으로 담당자가 입력"

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=30, choices=Code.choices)
    detail = models.CharField(max_length=300, blank=True)
    related_reading = models.ForeignKey(
        Reading, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["code"])]


class VoidReason(models.TextChoices):
    # ECO-14 grounds, from the seed's 기타 안내.
    LATE = "late", "제출 기한 내 미제출"
    OTHER_VEHICLE = "other_vehicle", "참여 차량이 아닌 자동차의 주행거리 등록"
    ALTERED = "altered", "주행거리 정보 조작"
    OTHER = "other", "기타"


class Cycle(models.Model):
    """Cycle k of a participation (평가 주기): from its start reading to the k-th annual reading.

    The participation is identified by its first vehicle (`vehicle`, ECO-13 chains keep it).
    Window dates are ECO-5's A and A+29, computed by the rules engine when the cycle opens.
    """

    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    start_reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="+")
    end_reading = models.ForeignKey(
        Reading, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window_opens_on = models.DateField()
    window_closes_on = models.DateField()
    voided_at = models.DateTimeField(null=True, blank=True)  # ECO-14, by an official
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(max_length=20, choices=VoidReason.choices, blank=True)
    void_note = models.TextField(blank=True)

    class Meta:
        ordering = ["vehicle_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "number"], name="cycle_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} cycle {self.number}"


class AppealStatus(models.TextChoices):
    OPEN = "open", "답변 대기"
    ACCEPTED = "accepted", "인용"
    DISMISSED = "dismissed", "기각"


class Appeal(models.Model):
    """이의신청: once per rejection (a reading) or per void (a cycle)."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="appeals"
    )
    reading = models.OneToOneField(
        Reading, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    cycle = models.OneToOneField(
        Cycle, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reading__isnull=True) ^ models.Q(cycle__isnull=True),
                name="appeal_has_one_target",
            )
        ]


class AppealMessage(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    photos = models.ManyToManyField(Photo, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
