"""Synthetic enrolled vehicles with approved readings, loaded set-based (benchmark, tests, demo).

`load(n, window_from)` creates n citizens, n vehicles (spread over the 25 districts), and for each
an approved initial reading about a year before the window and an approved annual reading
uploaded inside the window (ECO-5: from A to A+29). COPY on PostgreSQL, executemany on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from mileage.accounts.districts import ensure_districts
from mileage.accounts.models import District
from mileage.readings.models import Photo
from mileage.rules.dates import add_years


def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    names = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _ids(table: str, column: str, prefix: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} WHERE {column} LIKE %s ORDER BY id", [prefix + "%"])
        return [r[0] for r in cur.fetchall()]


def load(n: int, window_from: dt.date, *, tag: str = "syn", seed: int = 5) -> list[int]:
    """Load n participations whose annual readings fall in the 30 days from `window_from`."""
    rng = np.random.default_rng(seed)
    ensure_districts()
    districts = list(District.objects.order_by("code").values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        photo, _ = Photo.objects.get_or_create(
            sha256="0" * 64,
            defaults=dict(
                original_sha256="0" * 64,
                phash="0" * 16,
                band0=0,
                band1=0,
                band2=0,
                band3=0,
                file="photos/synthetic.jpg",
                source_format="JPEG",
                width=1,
                height=1,
                size_bytes=1,
            ),
        )
        dist = rng.integers(0, len(districts), n)
        _insert(
            "accounts_user",
            (
                "username",
                "password",
                "role",
                "display_name",
                "phone",
                "district_id",
                "community_centre",
                "is_superuser",
                "is_staff",
                "is_active",
                "first_name",
                "last_name",
                "email",
                "date_joined",
            ),
            [
                (
                    f"{tag}-{i}",
                    "!",
                    "citizen",
                    f"시민{i}",
                    "",
                    districts[dist[i]],
                    "",
                    False,
                    False,
                    True,
                    "",
                    "",
                    "",
                    now,
                )
                for i in range(n)
            ],
        )
        owners = _ids("accounts_user", "username", f"{tag}-")
        registered_days = rng.integers(0, 365 * 10, n)
        base = dt.date(2010, 1, 1)
        _insert(
            "vehicles_vehicle",
            (
                "owner_id",
                "plate",
                "kind",
                "seats",
                "use",
                "fuel",
                "first_registered_on",
                "district_id",
                "co_owners",
                "channel",
                "registered_by_id",
                "enrolled_at",
                "status",
                "ended_on",
                "end_reason",
                "previous_id",
                "changed_on",
            ),
            [
                (
                    owners[i],
                    f"{tag}{i}",
                    "passenger",
                    5,
                    "private",
                    "gasoline",
                    base + dt.timedelta(days=int(registered_days[i])),
                    districts[dist[i]],
                    "[]",
                    "online",
                    owners[i],
                    now,
                    "active",
                    None,
                    "",
                    None,
                    None,
                )
                for i in range(n)
            ],
        )
        vehicles = _ids("vehicles_vehicle", "plate", tag)
        offset = rng.integers(0, 30, n)
        start_km = rng.integers(20_000, 150_000, n)
        driven = rng.integers(2_000, 16_000, n)
        cols = (
            "vehicle_id",
            "event",
            "km",
            "km_submitted",
            "plate_photo_id",
            "dashboard_photo_id",
            "taken_on",
            "uploaded_on",
            "uploaded_at",
            "cycle_no",
            "submitted_by_id",
            "channel",
            "warnings",
            "status",
            "version",
            "reviewed_by_id",
            "reviewed_at",
            "reject_reason",
            "review_note",
        )
        rows = []
        for i, vid in enumerate(vehicles):
            annual_on = window_from + dt.timedelta(days=int(offset[i]))
            initial_on = add_years(annual_on, -1)  # A = one year after the initial upload
            for event, km, on, k in (
                ("initial", int(start_km[i]), initial_on, None),
                ("annual", int(start_km[i] + driven[i]), annual_on, 1),
            ):
                rows.append(
                    (
                        vid,
                        event,
                        km,
                        km,
                        photo.pk,
                        photo.pk,
                        on,
                        on,
                        now,
                        k,
                        owners[i],
                        "online",
                        "[]",
                        "approved",
                        1,
                        None,
                        now,
                        "",
                        "",
                    )
                )
        _insert("readings_reading", cols, rows)
    return vehicles
