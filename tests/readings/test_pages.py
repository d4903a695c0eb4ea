"""Eco pages end to end without a browser: enrol, upload, review, calculator, dashboard panel."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.readings.models import Reading
from tests.factories import city_manager, mapo_citizen, mapo_official
from tests.readings.support import jpeg_bytes, today, upload

pytestmark = pytest.mark.django_db


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_eco_pages_flow_from_enrolment_to_calculator(eco_settings) -> None:
    citizen = as_(mapo_citizen())
    refused = citizen.post("/eco/vehicles/new/", {"plate": "56다7890"})
    assert refused.status_code == 400 and "비사업용 차량만" in refused.content.decode()
    response = citizen.post("/eco/vehicles/new/", {"plate": "12가3456"})
    assert response.status_code == 302
    page = response["Location"]
    vehicle_id = int(page.rstrip("/").split("/")[-1])
    bad = citizen.post(
        f"/eco/vehicles/{vehicle_id}/readings/",
        {
            "event": "initial",
            "km": "52000",
            "plate_photo": upload(b"nope" * 40),
            "dashboard_photo": upload(b"x"),
        },
        follow=True,
    )
    assert "JPEG, PNG 또는 HEIC" in bad.content.decode() and not Reading.objects.exists()
    good = citizen.post(
        f"/eco/vehicles/{vehicle_id}/readings/",
        {
            "event": "initial",
            "km": "52,000",
            "plate_photo": upload(jpeg_bytes(1, taken=today())),
            "dashboard_photo": upload(jpeg_bytes(2, taken=today())),
        },
        follow=True,
    )
    assert "접수되었습니다" in good.content.decode()
    reading = Reading.objects.get()
    official = as_(mapo_official())
    assert "12가3456" in official.get("/eco/review/").content.decode()
    review = official.get(f"/eco/review/{reading.pk}/").content.decode()
    assert "data-zoomable" in review and "eco/viewer.js" in review and "<script>" not in review
    official.post(f"/eco/review/{reading.pk}/approve/", {"version": "1"})
    assert Reading.objects.get().status == "approved"
    calc = citizen.get(f"/eco/vehicles/{vehicle_id}/?km=60000").content.decode()
    assert 'data-testid="estimate"' in calc and "ECO-" in calc
    dashboard = citizen.get("/dashboard/").content.decode()
    assert "에코마일리지 승용차" in dashboard and "12가3456" in dashboard
    assert "심사 대기" in as_(city_manager()).get("/dashboard/").content.decode()
    audit = as_(city_manager()).get("/eco/audit/").content.decode()
    assert "<td>주행거리 승인</td>" in audit and "<td>reading.approve</td>" not in audit
    assert "마포구청 담당자" in audit
    outbox = citizen.get("/eco/outbox/").content.decode()
    assert "승인" in outbox


def test_dashboard_calls_to_upload_while_the_annual_window_is_open(eco_settings) -> None:
    """Issue #15: an open ECO-5 window is the citizen's next step on the dashboard, until the
    annual reading is in."""
    import datetime as dt

    from mileage.readings import policy
    from tests.readings.support import approved, enrolled, submit

    vehicle = enrolled()
    start = next(
        today() - dt.timedelta(days=back)
        for back in range(300, 420)
        if policy.annual_window(today() - dt.timedelta(days=back), 1)[0]
        <= today()
        <= policy.annual_window(today() - dt.timedelta(days=back), 1)[1]
    )
    citizen = as_(vehicle.owner)
    approved(submit(vehicle, "initial", 40_000, start, 1))
    html = citizen.get("/dashboard/").content.decode()
    assert 'data-testid="reading-due"' in html and "12가3456 연간 실적 올리기" in html
    assert f'href="/eco/vehicles/{vehicle.pk}/#up-h"' in html
    submit(vehicle, "annual", 48_000, today(), 2)
    assert 'data-testid="reading-due"' not in citizen.get("/dashboard/").content.decode()


def test_audit_page_names_actions_in_korean_and_shows_a_km_correction(eco_settings) -> None:
    """Issue #14: the audit trail in Korean, with what a decision changed (95,200 → 95,100),
    filtered by action and downloadable."""
    from mileage.readings.services import approve_reading
    from tests.readings.support import enrolled, submit

    reading = submit(enrolled(), "initial", 95_200, today(), 1)
    approve_reading(mapo_official(), reading, version=reading.version, corrected_km="95100")
    manager = as_(city_manager())
    page = manager.get("/eco/audit/").content.decode()
    assert "주행거리 승인" in page and "주행거리 제출" in page
    assert "95,200 km → 95,100 km" in page, page[page.index("<tbody>") :][:1500]
    assert "<td>reading.submit</td>" not in page
    only = manager.get("/eco/audit/?action=reading.approve").content.decode()
    assert only.count('data-testid="audit-row"') == 1
    csv = manager.get("/eco/audit/?action=reading.approve&format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "일시,처리자,처리,차량,자치구,사유,변경,메모"
    assert "주행거리 승인" in text and "95,200 km → 95,100 km" in text
