"""WALK-1 [interp] fair-play extras in the step feed: manual_steps, hourly, device (API and CSV)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mileage.walking.models import StepExtra, StepReport
from mileage.walking.services.feed import device_hash

from .conftest import day, push

pytestmark = pytest.mark.django_db

HOURS = [0] * 8 + [1_000] * 8 + [0] * 8  # 8,000


def test_walk1_extras_are_stored_in_the_side_table_with_a_hashed_device(
    client, walker, walker_link, walkon_token
):
    rows = [
        {"member": walker_link, "date": day(1), "steps": 8000, "manual_steps": 500,
         "hourly": HOURS, "device": "ANDROID-abc-123"},
        {"member": walker_link, "date": day(2), "steps": 6000},
    ]  # fmt: skip
    r = push(client, walkon_token, rows)
    assert r.status_code == 200, r.content
    assert r.json()["accepted"] == 2
    extra = StepExtra.objects.get(member=walker)  # only the row that carried extras
    assert (extra.on, extra.manual_steps, extra.hourly) == (
        dt.date.fromisoformat(day(1)),
        500,
        HOURS,
    )
    assert extra.device == device_hash("ANDROID-abc-123") and "ANDROID" not in extra.device
    assert StepReport.objects.filter(member=walker).count() == 2


def test_walk1_resent_day_without_extras_drops_the_old_extras(
    client, walker, walker_link, walkon_token
):
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 8000,
                                 "manual_steps": 3000}])  # fmt: skip
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 8000}])
    assert not StepExtra.objects.filter(member=walker).exists()
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 9000,
                                 "manual_steps": 100}])  # fmt: skip
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 9000,
                                 "manual_steps": 200}])  # fmt: skip
    assert StepExtra.objects.get(member=walker).manual_steps == 200


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"hourly": [*HOURS[:-1], 1]}, "walking.hourly_mismatch"),
        ({"hourly": HOURS[:23]}, "walking.bad_hourly"),
        ({"hourly": [*HOURS[:-1], -1]}, "walking.bad_hourly"),
        ({"hourly": "lots"}, "walking.bad_hourly"),
        ({"hourly": [*HOURS[:-1], 1.5]}, "walking.bad_hourly"),
        ({"manual_steps": 9000}, "walking.bad_manual_steps"),
        ({"manual_steps": -1}, "walking.bad_manual_steps"),
        ({"manual_steps": True}, "walking.bad_manual_steps"),
        ({"device": 12345}, "walking.bad_device"),
        ({"device": "x" * 201}, "walking.bad_device"),
    ],
)
def test_walk1_bad_extras_refuse_the_row_with_a_korean_message(
    client, walker, walker_link, walkon_token, extra, code
):
    good = {"member": walker_link, "date": day(2), "steps": 5000}
    bad = {"member": walker_link, "date": day(1), "steps": 8000, **extra}
    r = push(client, walkon_token, [bad, good])
    body = r.json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["index"] == 0 and body["errors"][0]["code"] == code
    assert any("\uac00" <= ch <= "\ud7a3" for ch in body["errors"][0]["message"])
    assert not StepReport.objects.filter(member=walker, on=day(1)).exists()
    assert not StepExtra.objects.exists()


def test_walk1_hourly_mismatch_message_says_what_is_wrong(client, walker_link, walkon_token):
    bad = {"member": walker_link, "date": day(1), "steps": 8001, "hourly": HOURS}
    message = push(client, walkon_token, [bad]).json()["errors"][0]["message"]
    assert message == "시간별 걸음 수(hourly)의 합이 하루 걸음 수(steps)와 다릅니다."


def test_walk1_csv_carries_the_optional_extras(client, walker, walker_link, walkon_token):
    hours = ";".join(str(h) for h in HOURS)
    text = (
        "member,date,steps,manual_steps,hourly,device\n"
        f"{walker_link},{day(1)},8000,2500,{hours},phone-1\n"
        f"{walker_link},{day(2)},8000,,,\n"
        f"{walker_link},{day(3)},8000,,1;2;3,\n"
    )
    upload = SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")
    r = client.post("/api/v1/walking/steps/csv", {"file": upload}, HTTP_X_API_KEY=walkon_token)
    body = r.json()
    assert (body["accepted"], body["rejected"]) == (2, 1), body
    assert body["errors"][0] == {
        "index": 4,
        "code": "walking.bad_hourly",
        "message": "시간별 걸음 수(hourly)는 0 이상의 정수 24개로 된 목록이어야 합니다.",
    }
    extra = StepExtra.objects.get(member=walker)
    assert (extra.manual_steps, extra.hourly, extra.device) == (2500, HOURS, device_hash("phone-1"))


def test_walk1_api_docs_describe_the_optional_fair_play_fields(client):
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/walking/steps"]["post"]["requestBody"]
    row = body["content"]["application/json"]["schema"]["properties"]["rows"]["items"]
    assert row["required"] == ["member", "date", "steps"]
    assert {"manual_steps", "hourly", "device"} <= set(row["properties"])
    assert row["properties"]["hourly"]["minItems"] == 24
