"""WALK-1: the partner step feed API — max-not-sum, replacement, per-row errors, limits, keys."""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.walking.models import StepImport, StepReport
from mileage.walking.queries import day_totals
from mileage.walking.services.feed import MAX_ROWS_PER_REQUEST
from mileage.walking.services.links import link_app, unlink_app
from tests import factories

from .conftest import day, push

pytestmark = pytest.mark.django_db


def test_walk1_good_rows_are_stored_and_counted(client, walker, walker_link, walkon_token):
    r = push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 8123}])
    assert r.status_code == 200, r.content
    assert r.json()["accepted"] == 1 and r.json()["rejected"] == 0
    assert list(
        day_totals(walker.pk, dt.date.fromisoformat(day(1)), dt.date.fromisoformat(day(1))).values()
    ) == [8123]


def test_walk1_resending_a_day_replaces_it_never_adds(client, walker, walker_link, walkon_token):
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 5000}])
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 7000}])
    push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 6000}])
    rows = StepReport.objects.filter(member=walker)
    assert [(r.steps) for r in rows] == [6000]


def test_walk1_a_member_day_counts_the_largest_source_not_the_sum(
    client, walker, walker_link, walkon_token, bigwalk, bigwalk_token
):
    other_link = link_app(walker, bigwalk, consent=True).token
    assert other_link != walker_link  # each app knows its own token only
    push(client, walkon_token, [{"member": walker_link, "date": day(2), "steps": 12000}])
    push(client, bigwalk_token, [{"member": other_link, "date": day(2), "steps": 9000}])
    on = dt.date.fromisoformat(day(2))
    assert day_totals(walker.pk, on, on) == {on: 12000}
    assert StepReport.objects.filter(member=walker, on=on).count() == 2


def test_walk1_same_member_day_twice_in_one_request_keeps_the_later(
    client, walker, walker_link, walkon_token
):
    r = push(
        client,
        walkon_token,
        [
            {"member": walker_link, "date": day(1), "steps": 100},
            {"member": walker_link, "date": day(1), "steps": 300},
        ],
    )
    assert r.json()["accepted"] == 1
    assert StepReport.objects.get(member=walker).steps == 300


def test_walk1_bad_rows_are_reported_and_good_rows_kept(client, walker, walker_link, walkon_token):
    rows = [
        {"member": walker_link, "date": day(3), "steps": 4000},  # 0 good
        {"member": walker_link, "date": day(-1), "steps": 4000},  # 1 future
        {"member": walker_link, "date": day(4), "steps": -5},  # 2 negative
        {"member": walker_link, "date": day(5), "steps": 100_001},  # 3 absurd
        {"member": "wl_nobody", "date": day(6), "steps": 10},  # 4 unknown member
        {"member": walker_link, "date": "2024-02-30", "steps": 10},  # 5 bad date
        {"member": walker_link, "date": day(7), "steps": 12.5},  # 6 not an integer
        "nonsense",  # 7
        {"member": walker_link, "date": day(2), "steps": 100_000},  # 8 good: exactly the limit
    ]
    r = push(client, walkon_token, rows)
    assert r.status_code == 200
    body = r.json()
    assert (body["received"], body["accepted"], body["rejected"]) == (9, 2, 7)
    assert [(e["index"], e["code"]) for e in body["errors"]] == [
        (1, "walking.future_date"),
        (2, "walking.negative_steps"),
        (3, "walking.absurd_steps"),
        (4, "walking.unknown_member"),
        (5, "walking.bad_date"),
        (6, "walking.steps_not_integer"),
        (7, "walking.row_not_an_object"),
    ]
    assert all(e["message"] for e in body["errors"])  # Korean text for the partner's staff
    assert sorted(StepReport.objects.values_list("steps", flat=True)) == [4000, 100_000]
    record = StepImport.objects.get(pk=body["import_id"])
    assert (record.rows_accepted, record.rows_rejected) == (2, 7)


def test_walk1_payload_too_large_is_refused_whole(client, walker_link, walkon_token):
    rows = [{"member": walker_link, "date": day(1), "steps": 1}] * (MAX_ROWS_PER_REQUEST + 1)
    r = push(client, walkon_token, rows)
    assert r.status_code == 413
    assert r.json()["code"] == "walking.payload_too_large"
    assert StepReport.objects.count() == 0 and StepImport.objects.count() == 0


def test_walk1_malformed_body_is_refused_whole(client, walkon_token):
    r = client.post(
        "/api/v1/walking/steps",
        b"{not json",
        content_type="application/json",
        HTTP_X_API_KEY=walkon_token,
    )
    assert r.status_code == 400 and r.json()["code"] == "walking.bad_payload"
    r = push(client, walkon_token, {"rows": "x"})
    assert r.status_code == 400


def test_walk1_another_apps_key_cannot_write_this_apps_members(
    client, walker, walker_link, bigwalk_token
):
    r = push(client, bigwalk_token, [{"member": walker_link, "date": day(1), "steps": 5000}])
    assert r.status_code == 200
    assert r.json()["errors"][0]["code"] == "walking.unknown_member"
    assert StepReport.objects.count() == 0


def test_walk1_a_key_without_the_steps_permission_is_refused(client, walker_link):
    _, merchant_token = factories.api_key("merchant")
    r = push(client, merchant_token, [{"member": walker_link, "date": day(1), "steps": 5000}])
    assert r.status_code == 403
    assert StepReport.objects.count() == 0


def test_walk1_revoked_and_missing_keys_are_refused(client, walker_link):
    _, revoked = factories.api_key("walking_app", revoked=True)
    rows = [{"member": walker_link, "date": day(1), "steps": 5000}]
    assert push(client, revoked, rows).status_code == 401
    assert (
        client.post(
            "/api/v1/walking/steps", {"rows": rows}, content_type="application/json"
        ).status_code
        == 401
    )
    assert StepReport.objects.count() == 0


def test_walk1_unlinked_member_is_unknown_but_old_steps_stay(
    client, walker, walker_link, walkon, walkon_token
):
    push(client, walkon_token, [{"member": walker_link, "date": day(2), "steps": 3000}])
    unlink_app(walker, walker.walking_links.get().pk)
    r = push(client, walkon_token, [{"member": walker_link, "date": day(1), "steps": 5000}])
    assert r.json()["errors"][0]["code"] == "walking.unknown_member"
    assert list(StepReport.objects.values_list("steps", flat=True)) == [3000]
