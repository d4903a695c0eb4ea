"""Authorization matrix rows for eco-mileage pages (/eco/) and API (/api/v1/vehicles/,
/api/v1/readings/). People only: API keys and anonymous callers get 401 (API) or the login
redirect (pages); another district's official gets 404, as if the thing did not exist."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mileage.accounts.districts import MAPO, district
from mileage.readings import services
from mileage.vehicles.models import Vehicle
from tests.platform.matrix import Row, expect

_plates = itertools.count(10)


def _jpeg(seed: int) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (seed * 40 % 255, 90, 160)).save(out, format="JPEG")
    return SimpleUploadedFile(f"p{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _vehicle(w: Any) -> Vehicle:
    n = next(_plates)
    return Vehicle.objects.create(
        owner=w["mapo_citizen"],
        plate=f"{n:02d}가{1000 + n}",
        kind="passenger",
        seats=5,
        use="private",
        fuel="gasoline",
        first_registered_on=dt.date(2018, 5, 2),
        district=district(MAPO),
    )


def vehicle(w: Any) -> dict[str, Any]:
    return {"vehicle": _vehicle(w).pk}


def pending(w: Any) -> dict[str, Any]:
    v = _vehicle(w)
    reading = services.submit_reading(
        w["mapo_citizen"],
        v,
        event="initial",
        km=52000,
        plate_photo=_jpeg(1),
        dashboard_photo=_jpeg(2),
    )
    return {"vehicle": v.pk, "reading": reading.pk, "photo": reading.dashboard_photo_id}


def approved(w: Any) -> dict[str, Any]:
    made = pending(w)
    reading = services.approve_reading(w["mapo_official"], _reading(made), version=1)
    return {**made, "cycle": reading.vehicle.cycles.get().pk}


def rejected(w: Any) -> dict[str, Any]:
    made = pending(w)
    services.reject_reading(
        w["mapo_official"], _reading(made), version=1, reason="plate_unreadable"
    )
    return made


def voided(w: Any) -> dict[str, Any]:
    from mileage.readings.models import Cycle

    made = approved(w)
    cycle = Cycle.objects.get(pk=made["cycle"])
    services.void_cycle(w["mapo_official"], cycle, reason="late", note="기한 경과")
    return made


def appealed(w: Any) -> dict[str, Any]:
    made = rejected(w)
    appeal = services.open_appeal(w["mapo_citizen"], reading=_reading(made), body="다시 봐 주세요.")
    return {**made, "appeal": appeal.pk}


def _reading(made: dict[str, Any]) -> Any:
    from mileage.readings.models import Reading

    return Reading.objects.select_related("vehicle").get(pk=made["reading"])


def today() -> str:
    return timezone.localdate().isoformat()


PAGE = dict(anonymous=302, keys=302)
API = dict(anonymous=401, keys=401)
# Scoped objects of a Mapo-gu citizen: visible to the owner, Mapo-gu's officials and the city.
SEEN = dict(citizen=200, mapo_official=200, jung_official=404, city=200, partner_user=404)
DECIDE_PAGE = dict(citizen=403, mapo_official=302, jung_official=404, city=403, partner_user=404)
DECIDE_API = dict(citizen=403, mapo_official=200, jung_official=404, city=403, partner_user=404)
OFFICIAL_PAGE = dict(citizen=403, mapo_official=200, jung_official=200, city=200, partner_user=403)
APPEAL = dict(citizen=302, mapo_official=403, jung_official=404, city=403, partner_user=404)
PHOTO_FORM = {"event": "initial", "km": "1"}

CASES: list[Row] = [
    # Pages
    Row("GET", "/eco/", expect(**PAGE, people=200)),
    Row("GET", "/eco/vehicles/new/", expect(**PAGE, people=403, citizen=200)),
    Row(
        "POST",
        "/eco/vehicles/new/",
        expect(**PAGE, people=403, citizen=400),
        form={"plate": "99허9999"},
        note="a plate the registry does not know re-renders the form (400)",
    ),
    Row("GET", "/eco/vehicles/{vehicle}/", expect(**PAGE, **SEEN), setup=approved),
    Row(
        "POST",
        "/eco/vehicles/{vehicle}/readings/",
        expect(
            **PAGE, citizen=302, mapo_official=302, jung_official=404, city=403, partner_user=404
        ),
        form=PHOTO_FORM,
        setup=vehicle,
        note="no photos: refused with a message (302 back); walk-in for the official",
    ),
    Row(
        "POST",
        "/eco/vehicles/{vehicle}/end/",
        expect(
            **PAGE, citizen=302, mapo_official=302, jung_official=404, city=403, partner_user=404
        ),
        form={"reason": "transfer", "ended_on": "2000-01-01", "km": "1"},
        setup=approved,
    ),
    Row(
        "POST",
        "/eco/vehicles/{vehicle}/change/",
        expect(
            **PAGE, citizen=302, mapo_official=302, jung_official=404, city=403, partner_user=404
        ),
        form={"new_plate": "44자5555", "out_km": "1", "in_km": "1"},
        setup=approved,
    ),
    Row("GET", "/eco/photos/{photo}/", expect(**PAGE, **SEEN), setup=pending),
    Row("GET", "/eco/review/", expect(**PAGE, **OFFICIAL_PAGE)),
    Row(
        "GET",
        "/eco/review/{reading}/",
        expect(**PAGE, **{**SEEN, "citizen": 403, "partner_user": 403}),
        setup=pending,
    ),
    Row(
        "POST",
        "/eco/review/{reading}/approve/",
        expect(**PAGE, **DECIDE_PAGE),
        form={"version": "1"},
        setup=pending,
    ),
    Row(
        "POST",
        "/eco/review/{reading}/reject/",
        expect(**PAGE, **DECIDE_PAGE),
        form={"version": "1", "reason": "km_mismatch"},
        setup=pending,
    ),
    Row(
        "POST",
        "/eco/cycles/{cycle}/void/",
        expect(**PAGE, **DECIDE_PAGE),
        form={"reason": "late", "note": "기한 경과"},
        setup=approved,
    ),
    Row("GET", "/eco/walk-in/", expect(**PAGE, **{**OFFICIAL_PAGE, "city": 403})),
    Row(
        "POST",
        "/eco/walk-in/",
        expect(
            **PAGE, **{**OFFICIAL_PAGE, "city": 403, "mapo_official": 400, "jung_official": 400}
        ),
        form={"citizen_username": "nobody", "plate": "12가3456", "km": "1"},
        note="an unknown citizen re-renders the form (400) for officials",
    ),
    Row("GET", "/eco/appeals/", expect(**PAGE, people=200)),
    Row(
        "POST",
        "/eco/review/{reading}/appeal/",
        expect(**PAGE, **APPEAL),
        form={"body": "다시 봐 주세요."},
        setup=rejected,
    ),
    Row(
        "POST",
        "/eco/cycles/{cycle}/appeal/",
        expect(**PAGE, **APPEAL),
        form={"body": "제 차량이 맞습니다."},
        setup=voided,
    ),
    Row("GET", "/eco/appeals/{appeal}/", expect(**PAGE, **SEEN), setup=appealed),
    Row(
        "POST",
        "/eco/appeals/{appeal}/",
        expect(
            **PAGE, citizen=302, mapo_official=302, jung_official=404, city=403, partner_user=404
        ),
        form={"body": "추가 설명"},
        setup=appealed,
    ),
    Row(
        "POST",
        "/eco/appeals/{appeal}/decide/",
        expect(**PAGE, **DECIDE_PAGE),
        form={"accept": "0", "body": "기각"},
        setup=appealed,
    ),
    Row("GET", "/eco/audit/", expect(**PAGE, **OFFICIAL_PAGE)),
    Row("GET", "/eco/outbox/", expect(**PAGE, people=200)),
    # API
    Row("GET", "/api/v1/vehicles/", expect(**API, people=200)),
    Row(
        "POST",
        "/api/v1/vehicles/",
        expect(
            **API, citizen=400, mapo_official=404, jung_official=404, city=403, partner_user=403
        ),
        json={"plate": "99허9999"},
        note="citizen: not in the registry; officials: no such citizen for a walk-in",
    ),
    Row("GET", "/api/v1/vehicles/{vehicle}", expect(**API, **SEEN), setup=approved),
    Row(
        "GET", "/api/v1/vehicles/{vehicle}/estimate?km=60000", expect(**API, **SEEN), setup=approved
    ),
    Row(
        "POST",
        "/api/v1/vehicles/{vehicle}/end",
        expect(
            **API, citizen=400, mapo_official=400, jung_official=404, city=403, partner_user=404
        ),
        form={"reason": "transfer", "ended_on": "2024-01-01", "km": "1"},
        setup=approved,
        note="an end before the first reading: 400",
    ),
    Row(
        "POST",
        "/api/v1/vehicles/{vehicle}/change",
        expect(
            **API, citizen=400, mapo_official=400, jung_official=404, city=403, partner_user=404
        ),
        form={"new_plate": "44자5555", "out_km": "1", "in_km": "1"},
        setup=approved,
        note="no photos: 400",
    ),
    Row("GET", "/api/v1/readings/", expect(**API, people=200)),
    Row(
        "POST",
        "/api/v1/vehicles/{vehicle}/readings",
        expect(
            **API, citizen=400, mapo_official=400, jung_official=404, city=403, partner_user=404
        ),
        form=PHOTO_FORM,
        setup=vehicle,
        note="no photos: 400",
    ),
    Row("GET", "/api/v1/readings/audit", expect(**API, **OFFICIAL_PAGE)),
    Row("GET", "/api/v1/readings/cycles/{cycle}", expect(**API, **SEEN), setup=approved),
    Row(
        "POST",
        "/api/v1/readings/cycles/{cycle}/void",
        expect(**API, **DECIDE_API),
        json={"reason": "late", "note": "기한 경과"},
        setup=approved,
    ),
    Row("GET", "/api/v1/readings/appeals", expect(**API, people=200)),
    Row(
        "POST",
        "/api/v1/readings/{reading}/appeal",
        expect(**API, **{**APPEAL, "citizen": 201}),
        form={"body": "다시 봐 주세요."},
        setup=rejected,
    ),
    Row(
        "POST",
        "/api/v1/readings/cycles/{cycle}/appeal",
        expect(**API, **{**APPEAL, "citizen": 201}),
        form={"body": "제 차량이 맞습니다."},
        setup=voided,
    ),
    Row("GET", "/api/v1/readings/appeals/{appeal}", expect(**API, **SEEN), setup=appealed),
    Row(
        "POST",
        "/api/v1/readings/appeals/{appeal}/messages",
        expect(
            **API, citizen=201, mapo_official=201, jung_official=404, city=403, partner_user=404
        ),
        json={"body": "추가 설명"},
        setup=appealed,
    ),
    Row(
        "POST",
        "/api/v1/readings/appeals/{appeal}/decision",
        expect(**API, **DECIDE_API),
        json={"accept": False, "body": "기각"},
        setup=appealed,
    ),
    Row("GET", "/api/v1/readings/{reading}", expect(**API, **SEEN), setup=pending),
    Row(
        "POST",
        "/api/v1/readings/{reading}/approve",
        expect(**API, **DECIDE_API),
        json={"version": 1},
        setup=pending,
    ),
    Row(
        "POST",
        "/api/v1/readings/{reading}/reject",
        expect(**API, **DECIDE_API),
        json={"version": 1, "reason": "km_mismatch"},
        setup=pending,
    ),
]
