"""PILOT-10 void by an official (seed 002, 무효로 간주하는 경우): one of the three reasons and a
note; audited; the member told through the outbox (essential); nothing paid; refused after
payment; the member's page shows 무효 처리 with the reason in Korean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from mileage.core.models import AuditEntry, NoticePreference, OutboxMessage
from mileage.evaluations import services as runs
from mileage.evaluations.models import Result
from mileage.ledger.models import Transaction
from mileage.pilot import errors
from mileage.pilot.models import Enrolment, Outcome
from mileage.pilot.services import payout
from mileage.pilot.services.bank import set_bank_account
from mileage.pilot.services.evaluate import start_pilot_run
from mileage.pilot.services.void import VOID_REASONS, void_by_official, void_key
from tests import factories
from tests.pilot.support import evaluated_pair, obd_enrolment

pytestmark = pytest.mark.django_db
PAY_FROM = dt.date(2015, 6, 19)


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _active() -> Enrolment:
    return obd_enrolment(
        "12가3456",
        "pilot-kim",
        contract_on=dt.date(2014, 10, 15),
        readings=[("initial", 40000, dt.date(2014, 10, 16))],
    )


def _evaluated(manager: Any) -> tuple[Enrolment, Any]:
    ev, _petrol = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="012-345-678901")
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31), chunk_size=1)
    ev.refresh_from_db()
    assert Outcome.objects.get(enrolment=ev).mileage == 42000
    return ev, run


def test_an_official_voids_an_active_enrolment_audited_and_the_member_told(programme: Any) -> None:
    enrolment = _active()
    NoticePreference.objects.create(user=enrolment.member, sms=True, non_essential=False)
    official = factories.mapo_official()
    response = _as(official).post(
        f"/pilot/enrolments/{enrolment.pk}/void/",
        {"reason": "altered_odometer", "note": "2015. 3. 2. 정비소 기록과 계기판 사진이 다름"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "void"
    assert enrolment.void_reason == VOID_REASONS["altered_odometer"]

    entry = AuditEntry.objects.get(action="pilot.void")
    assert (entry.actor, entry.reason) == (official, "altered_odometer")
    assert "정비소 기록" in entry.note and entry.data["before"]["status"] == "active"
    # essential: sent although the member opted out of non-essential notices
    notice = OutboxMessage.objects.get(key=void_key(enrolment.pk))
    assert notice.user == enrolment.member and notice.kind == "pilot.void"
    assert "무효" in notice.subject and VOID_REASONS["altered_odometer"] in notice.body

    page = _as(enrolment.member).get("/pilot/").content.decode()
    assert "무효 처리" in page and VOID_REASONS["altered_odometer"] in page
    assert "altered_odometer" not in page


def test_a_void_after_evaluation_pays_nothing(programme: Any) -> None:
    manager = factories.city_manager()
    ev, run = _evaluated(manager)
    void_by_official(ev, manager, reason="other_vehicle", note="다른 차량 계기판 사진 확인")

    outcome = Outcome.objects.get(enrolment=ev)
    assert (outcome.status, outcome.mileage, outcome.reasons) == ("void", 0, ["PILOT-10"])
    result = Result.objects.get(run=run, key=f"pilot:enrolment:{ev.pk}:award")
    assert (result.status, result.mileage) == ("void", 0)
    runs.sign_off(run, manager)
    assert runs.pay_due(run, PAY_FROM) == 0  # the run pays no voided award
    assert not Transaction.objects.filter(key=f"pilot:enrolment:{ev.pk}:award").exists()
    assert list(payout.due(PAY_FROM)) == []  # nor the bank-transfer export
    assert payout.export_bank_transfers(manager, PAY_FROM).transfers == []

    page = _as(ev.member).get("/pilot/").content.decode()
    assert "무효 처리되어 인센티브가 지급되지 않습니다" in page and "42,000원" not in page


def test_a_later_run_keeps_the_void(programme: Any) -> None:
    manager = factories.city_manager()
    ev, run = _evaluated(manager)
    void_by_official(ev, manager, reason="member_fault", note="120일 미만, 본인 사유")
    runs.cancel(run, manager, "무효 처리 후 다시 평가")  # overlapping live runs are refused
    again = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31), chunk_size=1)
    assert Outcome.objects.get(enrolment=ev).status == "void"
    assert Result.objects.get(run=again, key=f"pilot:enrolment:{ev.pk}:award").mileage == 0


def test_a_void_after_payment_is_refused_and_changes_nothing(programme: Any) -> None:
    manager = factories.city_manager()
    ev, run = _evaluated(manager)
    runs.sign_off(run, manager)
    assert runs.pay_due(run, PAY_FROM) == 1
    with pytest.raises(errors.VoidAfterPayment):
        void_by_official(ev, manager, reason="other_vehicle", note="지급 후 발견")
    ev.refresh_from_db()
    assert ev.status == "evaluated" and Outcome.objects.get(enrolment=ev).mileage == 42000
    assert not AuditEntry.objects.filter(action="pilot.void").exists()
    assert not OutboxMessage.objects.filter(key=void_key(ev.pk)).exists()

    response = _as(manager).post(
        f"/pilot/enrolments/{ev.pk}/void/", {"reason": "other_vehicle", "note": "지급 후 발견"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "이미 지급되어 무효 처리할 수 없습니다" in html and 'role="alert"' in html


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"reason": "", "note": "근거"}, "무효 사유를 목록에서 골라 주세요."),
        ({"reason": "late", "note": "근거"}, "무효 사유를 목록에서 골라 주세요."),
        ({"reason": "other_vehicle", "note": "  "}, "무효로 판단한 근거를 적어 주세요"),
        ({"reason": "other_vehicle", "note": "가" * 501}, "500자 이내"),
    ],
)
def test_a_void_without_a_listed_reason_or_a_note_is_refused_keeping_the_input(
    programme: Any, form: dict[str, str], message: str
) -> None:
    enrolment = _active()
    response = _as(factories.city_manager()).post(f"/pilot/enrolments/{enrolment.pk}/void/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    if form["reason"] in VOID_REASONS:
        assert f'value="{form["reason"]}" checked' in html
    if form["note"].strip() and len(form["note"]) < 100:
        assert form["note"] in html
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and not AuditEntry.objects.filter(action="pilot.void")


def test_voiding_twice_is_refused(programme: Any) -> None:
    enrolment = _active()
    official = factories.mapo_official()
    void_by_official(enrolment, official, reason="other_vehicle", note="확인")
    with pytest.raises(errors.BadVoid) as refused:
        void_by_official(enrolment, official, reason="other_vehicle", note="확인")
    assert refused.value.status == 409 and "이미 무효" in refused.value.message
    assert OutboxMessage.objects.filter(key=void_key(enrolment.pk)).count() == 1


def test_the_form_shows_the_seed_reasons_to_officials_not_to_the_member(programme: Any) -> None:
    enrolment = _active()
    official_page = _as(factories.mapo_official()).get(f"/pilot/enrolments/{enrolment.pk}/")
    html = official_page.content.decode()
    assert all(label in html for label in VOID_REASONS.values())
    member_page = _as(enrolment.member).get(f"/pilot/enrolments/{enrolment.pk}/").content.decode()
    assert 'data-testid="void-form"' not in member_page
