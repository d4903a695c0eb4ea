"""개인정보 접근기록 (PIPA): every official's, city manager's and partner's read of a citizen's
personal data writes exactly one row (who, when, what, whose, which record, why for downloads);
citizens reading their own data write none; downloads without a reason are refused; the log is
append-only and reviewable by the city only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from mileage.evaluations.models import Result
from mileage.ledger.models import Transaction
from mileage.pilot.models import Outcome
from mileage.privacy.models import AccessKind, AppendOnly, PersonalDataAccess
from mileage.readings import services as reading_services
from mileage.readings.models import Reading
from mileage.readings.services.appeals import open_appeal
from tests import factories
from tests.evaluations.matrix_evaluations import _run
from tests.pilot.conftest import hicar
from tests.pilot.test_pages import _evaluated, _staff
from tests.platform.matrix import World
from tests.readings.matrix_eco import pending

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _only_row() -> PersonalDataAccess:
    (row,) = PersonalDataAccess.objects.all()
    return row


# --- eco-mileage: photos, reading reviews, appeals (pages and API) ---------------------------


@pytest.mark.parametrize(
    ("who", "path", "kind"),
    [
        ("mapo_official", "/eco/photos/{photo}/", AccessKind.PHOTO),
        ("city_manager", "/eco/photos/{photo}/", AccessKind.PHOTO),
        ("mapo_official", "/eco/review/{reading}/", AccessKind.READING),
        ("city_manager", "/eco/review/{reading}/", AccessKind.READING),
        ("mapo_official", "/api/v1/readings/{reading}", AccessKind.READING),
    ],
)
def test_an_official_or_city_read_of_eco_data_writes_one_row(
    who: str, path: str, kind: str
) -> None:
    world = World()
    ids = pending(world)
    reader = world[who]
    response = _as(reader).get(path.format(**ids))
    assert response.status_code == 200
    row = _only_row()
    assert (row.actor, row.kind, row.subject) == (reader, kind, world["mapo_citizen"])
    assert row.subject_count == 1 and row.reason == "" and row.ip == "127.0.0.1"
    assert row.actor_role == ("official" if who == "mapo_official" else "city")
    assert str(ids["photo"] if kind == AccessKind.PHOTO else ids["reading"]) in row.record
    assert row.path == path.format(**ids) and row.at is not None


def test_the_citizen_reading_their_own_data_writes_nothing() -> None:
    world = World()
    ids = pending(world)
    citizen = _as(world["mapo_citizen"])
    assert citizen.get(f"/eco/photos/{ids['photo']}/").status_code == 200
    assert citizen.get(f"/api/v1/readings/{ids['reading']}").status_code == 200
    assert citizen.get(f"/eco/vehicles/{ids['vehicle']}/").status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_a_refused_read_writes_nothing() -> None:
    world = World()
    ids = pending(world)
    assert _as(world["jung_official"]).get(f"/eco/photos/{ids['photo']}/").status_code == 404
    assert _as(world["jung_official"]).get(f"/eco/review/{ids['reading']}/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_an_official_reading_an_appeal_writes_one_row_page_and_api() -> None:
    world = World()
    ids = pending(world)
    official = world["mapo_official"]
    reading = reading_services.reject_reading(
        official, Reading.objects.get(pk=ids["reading"]), version=1, reason="plate_unreadable"
    )
    appeal = open_appeal(world["mapo_citizen"], reading=reading, body="다시 봐 주세요.")
    assert _as(world["mapo_citizen"]).get(f"/eco/appeals/{appeal.pk}/").status_code == 200
    assert not PersonalDataAccess.objects.exists()  # the citizen's own appeal
    assert _as(official).get(f"/eco/appeals/{appeal.pk}/").status_code == 200
    row = _only_row()
    assert (row.kind, row.subject, row.actor) == (
        AccessKind.APPEAL,
        world["mapo_citizen"],
        official,
    )
    assert _as(official).get(f"/api/v1/readings/appeals/{appeal.pk}").status_code == 200
    assert PersonalDataAccess.objects.filter(kind=AccessKind.APPEAL).count() == 2


# --- the pilot: an insurer's reads, the city's payout list and transfer file -----------------


def test_insurer_staff_and_insurer_key_reads_of_an_enrolment_are_recorded(programme: Any) -> None:
    manager = factories.city_manager()
    ev, _ = _evaluated(manager)
    staff = _staff(hicar())
    assert _as(staff).get(f"/pilot/enrolments/{ev.pk}/").status_code == 200
    row = _only_row()
    assert (row.kind, row.subject, row.actor, row.partner) == (
        AccessKind.ENROLMENT,
        ev.member,
        staff,
        hicar(),
    )
    assert _as(ev.member).get(f"/pilot/enrolments/{ev.pk}/").status_code == 200  # own: none
    assert PersonalDataAccess.objects.count() == 1

    key, token = factories.api_key("insurer")
    key.partner = hicar()
    key.save()
    client = Client(headers={"x-api-key": token})
    assert client.get(f"/api/v1/pilot/enrolments/{ev.pk}").status_code == 200
    by_key = PersonalDataAccess.objects.get(api_key_prefix=key.prefix, subject=ev.member)
    assert by_key.actor is None and by_key.partner == hicar() and by_key.actor_role == "partner-key"
    assert client.get("/api/v1/pilot/enrolments").status_code == 200
    listed = PersonalDataAccess.objects.get(api_key_prefix=key.prefix, subject=None)
    assert listed.subject_count == 2  # the two enrolments of the list
    assert PersonalDataAccess.objects.count() == 3


def test_the_city_payout_list_and_transfer_file_are_recorded_with_the_reason(
    programme: Any,
) -> None:
    manager = factories.city_manager()
    _evaluated(manager)
    city = _as(manager)
    assert city.get("/pilot/city/transfers/", {"on": "2015-06-19"}).status_code == 200
    listed = _only_row()
    assert (listed.kind, listed.subject_count, listed.reason) == (AccessKind.PAYOUT_LIST, 1, "")

    answer = city.post(
        "/pilot/city/transfers/", {"on": "2015-06-19", "format": "csv", "reason": "6월 이체"}
    )
    assert answer.status_code == 200 and b"0123456789" in answer.content
    file_row = PersonalDataAccess.objects.get(kind=AccessKind.PAYOUT_FILE)
    assert file_row.reason == "6월 이체" and file_row.subject_count == 1
    assert "2015-06-19" in file_row.record and file_row.actor == manager
    assert PersonalDataAccess.objects.count() == 2


@pytest.mark.parametrize("reason", [None, "", "   ", "x", "사유\x00", "가" * 301])
def test_a_transfer_file_without_a_reason_is_refused_and_pays_nobody(
    programme: Any, reason: str | None
) -> None:
    manager = factories.city_manager()
    ev, _ = _evaluated(manager)
    form = {"on": "2015-06-19", "format": "xlsx"}
    if reason is not None:
        form["reason"] = reason
    answer = _as(manager).post("/pilot/city/transfers/", form)
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "사유" in text and "0123456789" not in text
    assert not Transaction.objects.filter(key__endswith=":payout").exists()
    assert Outcome.objects.get(enrolment=ev).paid_on is None
    assert not PersonalDataAccess.objects.filter(kind=AccessKind.PAYOUT_FILE).exists()


# --- evaluation results file -------------------------------------------------------------------


def test_an_evaluation_results_file_needs_a_reason_and_is_recorded() -> None:
    world = World()
    run = world.update(_run(world)) or world["run"]
    official = _as(world["mapo_official"])
    refused = official.get(f"/evaluations/runs/{run}/export.csv")
    assert refused.status_code == 400 and "사유" in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()
    answer = official.get(f"/evaluations/runs/{run}/export.csv", {"reason": "지급 검토"})
    assert answer.status_code == 200 and "12가3456" in answer.content.decode("utf-8-sig")
    row = _only_row()
    assert (row.kind, row.reason, row.subject_count) == (AccessKind.RESULTS_FILE, "지급 검토", 1)
    assert row.subject is None and f"#{run}" in row.record
    assert Result.objects.filter(run_id=run).count() == 1


# --- the log itself: append-only, reviewable by the city ---------------------------------------


def _a_row() -> PersonalDataAccess:
    world = World()
    ids = pending(world)
    _as(world["mapo_official"]).get(f"/eco/photos/{ids['photo']}/")
    return _only_row()


def test_rows_cannot_be_changed_or_deleted_through_the_models() -> None:
    row = _a_row()
    row.reason = "고침"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        PersonalDataAccess.objects.all().delete()
    with pytest.raises(AppendOnly):
        PersonalDataAccess.objects.update(reason="고침")
    assert PersonalDataAccess.objects.get().reason == ""


def test_rows_cannot_be_changed_in_the_database() -> None:
    row = _a_row()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE privacy_personaldataaccess SET reason = 'x' WHERE id = %s", [row.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM privacy_personaldataaccess WHERE id = %s", [row.pk])
    assert PersonalDataAccess.objects.filter(pk=row.pk, reason="").exists()


def test_the_city_reviews_and_filters_the_log_in_korean() -> None:
    world = World()
    ids = pending(world)
    _as(world["mapo_official"]).get(f"/eco/photos/{ids['photo']}/")
    _as(world["city_manager"]).get(f"/eco/review/{ids['reading']}/")
    city = _as(world["city_manager"])

    page = city.get("/privacy/access-log/").content.decode()
    assert page.count('data-testid="access-row"') == 2
    assert "계기판·번호판 사진 열람" in page and "주행거리 기록·차량 정보 열람" in page
    assert "구청·주민센터 담당자" in page and "년" in page

    by_actor = city.get("/privacy/access-log/", {"actor": world["mapo_official"].username})
    assert by_actor.content.decode().count('data-testid="access-row"') == 1
    by_kind = city.get("/privacy/access-log/", {"kind": "reading"}).content.decode()
    assert by_kind.count('data-testid="access-row"') == 1 and "사진 열람</td>" not in by_kind
    by_subject = city.get("/privacy/access-log/", {"subject": world["mapo_citizen"].username})
    assert by_subject.content.decode().count('data-testid="access-row"') == 2
    today = dt.date.today()
    later = city.get("/privacy/access-log/", {"start": (today + dt.timedelta(days=2)).isoformat()})
    assert later.content.decode().count('data-testid="access-row"') == 0
    bad = city.get("/privacy/access-log/", {"start": "어제"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    # reviewing the log reads no citizen's data of its own: it adds no row
    assert PersonalDataAccess.objects.count() == 2
