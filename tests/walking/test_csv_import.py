"""WALK-1: step files from partners that send CSV (API and page); errors name the line."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mileage.walking.models import StepImport, StepReport
from tests import factories

from .conftest import day

pytestmark = pytest.mark.django_db


def _csv(text: str, name: str = "steps.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_walk1_csv_api_stores_good_lines_and_reports_bad_ones_by_line(
    client, walker, walker_link, walkon_token
):
    text = (
        "\ufeffmember,date,steps\n"
        f"{walker_link},{day(1)},7000\n"
        f"{walker_link},{day(2)},abc\n"
        f"wl_unknown,{day(2)},100\n"
        "\n"
        f"{walker_link},{day(3)},5000\n"
    )
    r = client.post("/api/v1/walking/steps/csv", {"file": _csv(text)}, HTTP_X_API_KEY=walkon_token)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["accepted"], body["rejected"]) == (2, 3)
    assert [(e["index"], e["code"]) for e in body["errors"]] == [
        (3, "walking.steps_not_integer"),
        (4, "walking.unknown_member"),
        (5, "walking.member_missing"),
    ]
    assert sorted(StepReport.objects.values_list("steps", flat=True)) == [5000, 7000]
    assert StepImport.objects.get().channel == "csv"


def test_walk1_csv_with_korean_headers_and_a_resend_replaces(
    client, walker, walker_link, walkon_token
):
    first = f"회원,날짜,걸음수\n{walker_link},{day(1)},3000\n"
    again = f"날짜,회원,걸음수\n{day(1)},{walker_link},3500\n"
    for text in (first, again):
        r = client.post(
            "/api/v1/walking/steps/csv", {"file": _csv(text)}, HTTP_X_API_KEY=walkon_token
        )
        assert r.status_code == 200
    assert list(StepReport.objects.values_list("steps", flat=True)) == [3500]


def test_walk1_csv_without_the_header_is_refused_whole(client, walker_link, walkon_token):
    r = client.post(
        "/api/v1/walking/steps/csv",
        {"file": _csv(f"{walker_link},{day(1)},3000\n")},
        HTTP_X_API_KEY=walkon_token,
    )
    assert r.status_code == 400 and r.json()["code"] == "walking.bad_csv"
    assert StepReport.objects.count() == 0 and StepImport.objects.count() == 0


def test_walk1_csv_not_utf8_is_refused(client, walkon_token):
    bad = SimpleUploadedFile("x.csv", "회원,날짜,걸음수\n".encode("cp949"))
    r = client.post("/api/v1/walking/steps/csv", {"file": bad}, HTTP_X_API_KEY=walkon_token)
    assert r.status_code == 400 and r.json()["code"] == "walking.bad_csv"


def test_walk1_csv_page_for_the_apps_staff(client, walker, walker_link, walkon):
    staff = factories.partner_user("walking_app")
    client.force_login(staff)
    assert client.get("/walking/partner/steps/").status_code == 200
    r = client.post(
        "/walking/partner/steps/",
        {"file": _csv(f"member,date,steps\n{walker_link},{day(1)},4200\n")},
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "반영 1" in page and "steps.csv" in page
    assert StepImport.objects.get().uploaded_by == staff


def test_walk1_csv_page_refuses_a_merchants_staff(client):
    client.force_login(factories.partner_user("merchant"))
    assert client.get("/walking/partner/steps/").status_code == 403
