"""Automatic review flags (shown to the official; never a refusal by themselves).

Flags and their parameters:
- no_capture_date          C-1: a photo without EXIF DateTimeOriginal (upload date used)
- capture_far_from_upload  capture date more than `eco.review_capture_gap_days` before upload
- same_photo               the same file (sha256 of the upload or of the stored copy) is used
                           by another reading, of this or another vehicle
- near_duplicate           perceptual hash within `eco.review_near_duplicate_bits` bits of a
                           photo of another reading (imagehash.phash, 64 bits)
- km_decreased             odometer lower than the vehicle's previous approved reading
- implausible_daily_km     more than `eco.review_max_daily_km` km/day since that reading
- late_initial             ECO-2: initial reading after the recommended 14 days
- late_annual              ECO-5: annual reading after A+29 (its cycle will be void)
- walk_in                  ECO-2: entered by an official at a walk-in enrolment
"""

from __future__ import annotations

from django.db.models import Q

from . import policy
from .models import Photo, Reading, ReadingFlag, ReadingStatus
from .photos import hamming

Code = ReadingFlag.Code


def _photo_users(photo_ids: set[int], exclude: int) -> list[Reading]:
    return list(
        Reading.objects.filter(
            Q(plate_photo_id__in=photo_ids) | Q(dashboard_photo_id__in=photo_ids)
        )
        .exclude(pk=exclude)
        .select_related("vehicle")
        .order_by("id")[:5]
    )


def _same_photo(reading: Reading) -> list[ReadingFlag]:
    photos = [reading.plate_photo, reading.dashboard_photo]
    same = set(
        Photo.objects.filter(
            Q(original_sha256__in=[p.original_sha256 for p in photos])
            | Q(sha256__in=[p.sha256 for p in photos])
        ).values_list("pk", flat=True)
    )
    flags = []
    for other in _photo_users(same, reading.pk):
        flags.append(
            ReadingFlag(
                reading=reading,
                code=Code.SAME_PHOTO,
                detail=f"{other.vehicle.plate} 차량의 {other.uploaded_on} 등록과 같은 사진",
                related_reading=other,
            )
        )
    return flags[:2]


def _near_duplicates(reading: Reading, max_bits: int) -> list[ReadingFlag]:
    exact = set(
        Photo.objects.filter(
            original_sha256__in=[
                reading.plate_photo.original_sha256,
                reading.dashboard_photo.original_sha256,
            ]
        ).values_list("pk", flat=True)
    )
    near: set[int] = set()
    for photo in (reading.plate_photo, reading.dashboard_photo):
        bands = (
            Q(band0=photo.band0)
            | Q(band1=photo.band1)
            | Q(band2=photo.band2)
            | Q(band3=photo.band3)
        )
        for pk, phash in (
            Photo.objects.filter(bands).exclude(pk__in=exact).values_list("pk", "phash")[:200]
        ):
            if hamming(phash, photo.phash) <= max_bits:
                near.add(pk)
    return [
        ReadingFlag(
            reading=reading,
            code=Code.NEAR_DUPLICATE,
            detail=f"{other.vehicle.plate} 차량의 {other.uploaded_on} 등록 사진과 매우 비슷함",
            related_reading=other,
        )
        for other in _photo_users(near, reading.pk)[:2]
    ]


def previous_approved(reading: Reading) -> Reading | None:
    """The vehicle's latest approved reading before this one (same odometer)."""
    return (
        Reading.objects.filter(vehicle_id=reading.vehicle_id, status=ReadingStatus.APPROVED)
        .exclude(pk=reading.pk)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def _odometer(reading: Reading, on_limit: int) -> list[ReadingFlag]:
    before = previous_approved(reading)
    if before is None:
        return []
    flags = []
    if reading.km < before.km:
        flags.append(
            ReadingFlag(
                reading=reading,
                code=Code.KM_DECREASED,
                detail=f"이전 승인 {before.km:,} km → 이번 {reading.km:,} km",
                related_reading=before,
            )
        )
    days = (reading.effective_on - before.effective_on).days
    driven = reading.km - before.km
    if driven > 0 and (days <= 0 or driven > on_limit * days):
        per_day = driven if days <= 0 else round(driven / days)
        flags.append(
            ReadingFlag(
                reading=reading,
                code=Code.IMPLAUSIBLE_DAILY_KM,
                detail=f"{days}일 동안 {driven:,} km (하루 약 {per_day:,} km, 기준 {on_limit} km)",
                related_reading=before,
            )
        )
    return flags


def compute_flags(reading: Reading, extra: list[tuple[str, str]] = ()) -> list[ReadingFlag]:
    """Every automatic flag of a freshly stored reading; saved and returned."""
    on = reading.uploaded_on
    flags = [ReadingFlag(reading=reading, code=code, detail=detail) for code, detail in extra]
    missing = [
        label
        for label, photo in (("번호판", reading.plate_photo), ("계기판", reading.dashboard_photo))
        if photo.taken_at is None
    ]
    if missing:
        flags.append(
            ReadingFlag(
                reading=reading,
                code=Code.NO_CAPTURE_DATE,
                detail=f"{', '.join(missing)} 사진에 촬영일이 없어 등록일을 적용함 (C-1)",
            )
        )
    if reading.taken_on is not None:
        gap = (reading.uploaded_on - reading.taken_on).days
        if gap > policy.capture_gap_days(on):
            flags.append(
                ReadingFlag(
                    reading=reading,
                    code=Code.CAPTURE_FAR_FROM_UPLOAD,
                    detail=f"촬영일 {reading.taken_on}, 등록일 {reading.uploaded_on} ({gap}일 차이)",
                )
            )
    flags += _same_photo(reading)
    flags += _near_duplicates(reading, policy.near_duplicate_distance(on))
    flags += _odometer(reading, policy.max_daily_km(on))
    return ReadingFlag.objects.bulk_create(flags)
