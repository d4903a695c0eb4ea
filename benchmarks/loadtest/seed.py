"""Citizens for the deadline-day load test, loaded set-based (COPY on PostgreSQL).

Each citizen `<tag>-<i>` (one password for all, hashed once with the production hasher) owns
one enrolled vehicle whose initial reading was approved a year ago, with cycle 1 open and its
ECO-5 annual window A..A+29 ending today when the calendar allows (deadline day), so that
each citizen may upload exactly one annual reading now (a second one is "이미 심사 중").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from benchmarks.synthetic_vehicles import _ids, _insert
from mileage.accounts.districts import ensure_districts
from mileage.accounts.models import District
from mileage.readings import policy
from mileage.readings.models import Photo
from mileage.rules.dates import add_years

PASSWORD = "deadline-day-2024"
INITIAL_KM_FROM, INITIAL_KM_TO = 60_000, 100_000  # the upload sends 110,000 km or more


def initial_day(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """An initial upload day whose cycle-1 window contains today, ending today if possible."""
    near = add_years(today, -1)
    found = None
    for back in range(0, 120):
        day = near - dt.timedelta(days=back - 30)
        opens, closes = policy.annual_window(day, 1)
        if opens <= today <= closes:
            if closes == today:
                return day, opens, closes
            found = found or (day, opens, closes)
    if found is None:
        raise RuntimeError(f"no initial day gives a window open on {today}")
    return found


def load(n: int, *, tag: str = "dd", seed: int = 12) -> list[tuple[str, int]]:
    """n citizens with one vehicle each, ready for an annual upload today; (username, vehicle)."""
    rng = np.random.default_rng(seed)
    ensure_districts()
    districts = list(District.objects.order_by("code").values_list("pk", flat=True))
    today = timezone.localdate()
    on, opens, closes = initial_day(today)
    now = timezone.now()
    password = make_password(PASSWORD)
    with transaction.atomic():
        photo, _ = Photo.objects.get_or_create(
            sha256="0" * 64,
            defaults=dict(
                original_sha256="0" * 64, phash="0" * 16, band0=0, band1=0, band2=0, band3=0,
                file="photos/synthetic.jpg", source_format="JPEG", width=1, height=1,
                size_bytes=1,
            ),
        )  # fmt: skip
        dist = rng.integers(0, len(districts), n)
        _insert(
            "accounts_user",
            ("username", "password", "role", "display_name", "phone", "district_id",
             "community_centre", "is_superuser", "is_staff", "is_active", "first_name",
             "last_name", "email", "date_joined"),
            [
                (f"{tag}-{i}", password, "citizen", f"시민{i}", "", districts[dist[i]], "",
                 False, False, True, "", "", "", now)
                for i in range(n)
            ],
        )  # fmt: skip
        owners = _ids("accounts_user", "username", f"{tag}-")
        _insert(
            "vehicles_vehicle",
            ("owner_id", "plate", "kind", "seats", "use", "fuel", "first_registered_on",
             "district_id", "co_owners", "channel", "registered_by_id", "enrolled_at", "status",
             "ended_on", "end_reason", "previous_id", "changed_on"),
            [
                (owners[i], f"{tag}{i}", "passenger", 5, "private", "gasoline",
                 dt.date(2015, 1, 1), districts[dist[i]], "[]", "online", owners[i],
                 now - dt.timedelta(days=400), "active", None, "", None, None)
                for i in range(n)
            ],
        )  # fmt: skip
        vehicles = _ids("vehicles_vehicle", "plate", tag)
        km = rng.integers(INITIAL_KM_FROM, INITIAL_KM_TO, n)
        _insert(
            "readings_reading",
            ("vehicle_id", "event", "km", "km_submitted", "plate_photo_id",
             "dashboard_photo_id", "taken_on", "uploaded_on", "uploaded_at", "cycle_no",
             "submitted_by_id", "channel", "warnings", "status", "version", "reviewed_by_id",
             "reviewed_at", "reject_reason", "review_note"),
            [
                (vid, "initial", int(km[i]), int(km[i]), photo.pk, photo.pk, on, on, now,
                 None, owners[i], "online", "[]", "approved", 1, None, now, "", "")
                for i, vid in enumerate(vehicles)
            ],
        )  # fmt: skip
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id FROM readings_reading WHERE vehicle_id IN "
                "(SELECT id FROM vehicles_vehicle WHERE plate LIKE %s) ORDER BY vehicle_id",
                [tag + "%"],
            )
            initials = [r[0] for r in cur.fetchall()]
        _insert(
            "readings_cycle",
            ("vehicle_id", "number", "start_reading_id", "end_reading_id", "window_opens_on",
             "window_closes_on", "voided_at", "voided_by_id", "void_reason", "void_note"),
            [
                (vid, 1, rid, None, opens, closes, None, None, "", "")
                for vid, rid in zip(vehicles, initials, strict=True)
            ],
        )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return [(f"{tag}-{i}", vid) for i, vid in enumerate(vehicles)]
