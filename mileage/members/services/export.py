"""내 정보 내려받기: one ZIP with the member's own rows as JSON and CSV, and their photos.

Only rows that belong to the member are read: the profile, consents, vehicles they own,
readings of those vehicles (with both photos), evaluation results of their participations and
the postings of their wallet. Dates are ISO in the files (machine-readable); the CI is left out
(it is a key shared between sites, not something the member needs)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.storage import default_storage

from mileage.evaluations.models import Result
from mileage.evaluations.queries import PUBLISHED
from mileage.ledger.models import Account, AccountKind, Posting
from mileage.readings.models import Reading
from mileage.vehicles.models import Vehicle
from mileage.walking.models import AppLink

from ..models import Consent

README = """서울 마일리지 — 내 정보 내려받기

data.json     모든 항목을 한 파일에 담은 JSON
profile.json  회원 정보 (연계정보(CI)는 보안상 빼고 담았습니다)
consents.csv  동의 내역 (항목, 문구 판, 동의 일시, 철회 일시)
vehicles.csv  등록한 차량
readings.csv  올린 주행거리와 사진 파일 이름 (photos/ 폴더)
evaluations.csv  평가 결과
ledger.csv    마일리지 적립·사용 내역

날짜와 시각은 파일에서 국제 표준 형식(YYYY-MM-DD)으로 적었습니다.
"""


def _text(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _rows(values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _text(v) for k, v in row.items()} for row in values]


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Korean correctly


def collect(user: Any) -> dict[str, list[dict[str, Any]] | dict[str, Any]]:
    profile = {
        "username": user.username,
        "name": user.display_name,
        "birth_date": user.birth_date,
        "phone": user.phone,
        "district": user.district.name_ko if user.district else "",
        "identity_verified_at": user.identity_verified_at,
        "joined_at": user.date_joined,
    }
    vehicles = Vehicle.objects.filter(owner=user).order_by("pk")
    readings = (
        Reading.objects.filter(vehicle__owner=user)
        .select_related("vehicle", "plate_photo", "dashboard_photo")
        .order_by("pk")
    )
    reading_rows = []
    for r in readings:
        reading_rows.append(
            {
                "id": r.pk,
                "plate": r.vehicle.plate,
                "event": r.event_label,
                "km": r.km,
                "taken_on": r.taken_on,
                "uploaded_on": r.uploaded_on,
                "status": r.get_status_display(),
                "plate_photo": f"photos/{r.pk}-plate.jpg" if r.plate_photo_id else "",
                "dashboard_photo": f"photos/{r.pk}-dashboard.jpg" if r.dashboard_photo_id else "",
            }
        )
    wallets = Account.objects.filter(user=user, kind=AccountKind.WALLET)
    postings = (
        Posting.objects.filter(account__in=wallets)
        .select_related("transaction")
        .order_by("transaction__effective_on", "pk")
    )
    return {
        "profile": {k: _text(v) for k, v in profile.items()},
        "consents": _rows(
            Consent.objects.filter(user=user)
            .order_by("given_at", "pk")
            .values("item", "version", "required", "wording", "given_at", "withdrawn_at")
        )
        + _rows(  # consents given when linking a walking app; unlinking ends them
            {
                "item": f"walking_share:{link.partner.slug}",
                "version": link.consent_version,
                "required": False,
                "wording": link.consent_wording,
                "given_at": link.consented_at,
                "withdrawn_at": link.unlinked_at,
            }
            for link in AppLink.objects.filter(member=user, consented_at__isnull=False)
            .select_related("partner")
            .order_by("consented_at", "pk")
        ),
        "vehicles": _rows(
            {
                "plate": v.plate,
                "kind": v.get_kind_display(),
                "fuel": v.get_fuel_display(),
                "first_registered_on": v.first_registered_on,
                "district": v.district.name_ko,
                "status": v.get_status_display(),
                "enrolled_at": v.enrolled_at,
                "ended_on": v.ended_on,
            }
            for v in vehicles.select_related("district")
        ),
        "readings": _rows(reading_rows),
        "evaluations": _rows(
            Result.objects.filter(owner_id=user.pk, run__status__in=PUBLISHED)
            .order_by("start_on", "pk")
            .values(
                "plate",
                "cycle",
                "start_on",
                "end_on",
                "driven_km",
                "reduction_pct",
                "mileage",
                "payment_on",
            )
        ),
        "ledger": _rows(
            {
                "effective_on": p.transaction.effective_on,
                "amount": p.amount,
                "memo": p.transaction.memo,
                "kind": p.transaction.get_kind_display(),
            }
            for p in postings
        ),
    }


def my_data_zip(user: Any) -> bytes:
    """The ZIP a member downloads from /account/data/."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("profile.json", json.dumps(data["profile"], ensure_ascii=False, indent=2))
        for name in ("consents", "vehicles", "readings", "evaluations", "ledger"):
            rows = data[name]
            assert isinstance(rows, list)
            columns = list(rows[0]) if rows else _EMPTY_COLUMNS[name]
            archive.writestr(f"{name}.csv", _csv(rows, columns))
        readings = Reading.objects.filter(vehicle__owner=user).select_related(
            "plate_photo", "dashboard_photo"
        )
        for reading in readings:
            for label, photo in (
                ("plate", reading.plate_photo),
                ("dashboard", reading.dashboard_photo),
            ):
                if photo is None or not photo.file or not default_storage.exists(photo.file):
                    continue
                with default_storage.open(photo.file, "rb") as handle:
                    archive.writestr(f"photos/{reading.pk}-{label}.jpg", handle.read())
    return buffer.getvalue()


_EMPTY_COLUMNS = {
    "consents": ["item", "version", "required", "wording", "given_at", "withdrawn_at"],
    "vehicles": ["plate", "kind", "fuel", "first_registered_on", "district", "status"],
    "readings": ["id", "plate", "event", "km", "taken_on", "uploaded_on", "status"],
    "evaluations": ["plate", "cycle", "start_on", "end_on", "driven_km", "mileage"],
    "ledger": ["effective_on", "amount", "memo", "kind"],
}
