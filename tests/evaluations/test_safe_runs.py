"""Safe runs (issue #14): an unfinished window or an overlapping live run is refused, a run can be
cancelled before sign-off (with a reason, audited), sign-off and payment say what happened and
are audited, and payout memos and notices name the run's programme."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.synthetic_vehicles import load
from mileage.core.audit import action_label
from mileage.core.models import AuditEntry, OutboxMessage
from mileage.evaluations import services
from mileage.evaluations.errors import (
    CancelReasonMissing,
    RunCancelled,
    RunNotCancellable,
    RunNotSignedOff,
    RunOverlaps,
    WindowNotEnded,
)
from mileage.evaluations.models import EvaluationRun, Result, RunStatus
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.readings.queries import audit_visible_to

from .conftest import PAY_ON, WINDOW
from .test_mixed_histories import _read, _vehicle
from .test_seasonal_run import SEASON_WINDOW

pytestmark = pytest.mark.django_db


def _actions(run: EvaluationRun) -> list[str]:
    return list(
        AuditEntry.objects.filter(subject_id=run.pk, action__startswith="run.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_window_that_has_not_ended_is_refused_and_no_run_is_left(manager) -> None:
    with pytest.raises(WindowNotEnded) as error:  # 2026-11-01 ~ 2026-12-31 on 2026-12-03
        services.start_run(
            manager, dt.date(2026, 11, 1), dt.date(2026, 12, 31), today=dt.date(2026, 12, 3)
        )
    assert error.value.status == 400 and "끝나지 않았습니다" in error.value.message
    with pytest.raises(WindowNotEnded):  # the window's last day itself is not over yet
        services.start_run(manager, *WINDOW, today=WINDOW[1])
    assert not EvaluationRun.objects.exists()
    run = services.start_run(manager, *WINDOW, today=WINDOW[1] + dt.timedelta(days=1))
    assert run.status == RunStatus.EVALUATING


def test_the_runs_page_refuses_an_unfinished_window_in_korean(manager, client) -> None:
    client.force_login(manager)
    response = client.post(
        "/evaluations/runs/", {"window_from": "2099-01-01", "window_to": "2099-02-28"}
    )
    assert response.status_code == 400
    assert "평가 기간이 아직 끝나지 않았습니다" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_an_overlapping_live_run_of_the_programme_is_refused_naming_it(vehicles, manager) -> None:
    first = services.start_run(manager, *WINDOW)
    with pytest.raises(RunOverlaps) as error:  # 2025-06-15 ~ 2025-08-31 overlaps May–June
        services.start_run(manager, dt.date(2025, 6, 15), dt.date(2025, 8, 31))
    assert error.value.status == 409
    assert f"평가 #{first.pk} (에코마일리지 승용차 2025. 5. 1.~2025. 6. 30.)" in error.value.message
    assert EvaluationRun.objects.count() == 1
    # another programme's run over the same days is not an overlap
    services.start_run(manager, *WINDOW, programme="eco-seasonal")
    # nor is the next window of the programme
    services.start_run(manager, dt.date(2025, 7, 1), dt.date(2025, 8, 31))
    # once the first is cancelled, the overlapping window can start
    services.cancel(first, manager, "기간을 잘못 입력함")
    services.start_run(manager, dt.date(2025, 6, 15), dt.date(2025, 6, 30))


def test_cancel_before_sign_off_with_a_reason_audited_never_paid_nor_shown(
    vehicles, manager, client
) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    client.force_login(manager)
    refused = client.post(f"/evaluations/runs/{run.pk}/cancel/", {"reason": "  "})
    assert refused.status_code == 400 and "취소 사유를 입력하세요" in refused.content.decode()
    response = client.post(
        f"/evaluations/runs/{run.pk}/cancel/", {"reason": "기간을 잘못 입력함"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "취소했습니다" in page
    assert "취소 사유: 기간을 잘못 입력함" in page
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.note == "기간을 잘못 입력함"
    entry = AuditEntry.objects.get(action="run.cancel")
    assert entry.actor == manager and entry.reason == "기간을 잘못 입력함"
    assert action_label("run.cancel") == "평가 취소" and "평가 취소" in page
    with pytest.raises(RunCancelled):  # never signed off, never paid
        services.sign_off(run, manager)
    with pytest.raises(RunNotSignedOff):
        services.pay_due(run, PAY_ON)
    assert client.post(f"/evaluations/runs/{run.pk}/pay/").status_code == 409
    assert not Transaction.objects.exists()
    awarded = Result.objects.filter(run=run, mileage__gt=0).first()
    from mileage.accounts.models import User

    client.force_login(User.objects.get(pk=awarded.owner_id))
    mine = client.get("/evaluations/mine/").content.decode()
    assert f"{awarded.mileage:,}" not in mine
    assert_books_balance()


def test_a_signed_off_run_cannot_be_cancelled(vehicles, manager) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    with pytest.raises(CancelReasonMissing):
        services.cancel(run, manager, "")
    services.sign_off(run, manager)
    with pytest.raises(RunNotCancellable):
        services.cancel(run, manager, "늦게 발견")
    run.refresh_from_db()
    assert run.status == RunStatus.SIGNED_OFF


def test_sign_off_and_payment_say_what_happened_and_are_audited(vehicles, manager, client) -> None:
    client.force_login(manager)
    client.post(
        "/evaluations/runs/",
        {"window_from": WINDOW[0].isoformat(), "window_to": WINDOW[1].isoformat()},
    )
    run = EvaluationRun.objects.get()
    awarded = Result.objects.filter(run=run, mileage__gt=0).count()
    assert awarded > 0
    signed = client.post(f"/evaluations/runs/{run.pk}/sign-off/", follow=True).content.decode()
    assert f"승인했습니다. 지급 대상 {awarded:,}건" in signed
    paid = client.post(f"/evaluations/runs/{run.pk}/pay/", follow=True).content.decode()
    assert f"{awarded:,}건 지급, 0건은 지급일 전" in paid  # today is after 2025-07-20
    assert _actions(run) == ["run.start", "run.sign_off", "run.pay"]
    for label in ("평가 시작", "평가 승인", "평가 지급"):
        assert label in paid
    # before the ECO-12 payment date nothing is due yet
    assert services.payment_message(
        services.payment_summary(run, PAY_ON - dt.timedelta(days=1))
    ) == (f"0건 지급, {awarded:,}건은 지급일 전")
    # the eco audit page (vehicles only) still works and leaves the run entries out
    assert not audit_visible_to(manager).filter(action__startswith="run.").exists()
    assert client.get("/eco/audit/").status_code == 200
    assert_books_balance()


def test_payout_memos_and_notices_name_the_programme(vehicles, manager) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    services.sign_off(run, manager)
    services.pay_due(run, PAY_ON)
    memos = set(Transaction.objects.values_list("memo", flat=True))
    assert memos == {f"평가 #{run.pk} (에코마일리지 승용차 2025. 5. 1.~2025. 6. 30.) 지급"}
    bodies = list(OutboxMessage.objects.values_list("body", flat=True))
    assert bodies and all(body.startswith("에코마일리지 승용차 ") for body in bodies)
    assert services.programme_name("pilot-2014") == "승용차 마일리지 시범사업 (2014)"


def test_seasonal_payout_memo_and_notice_name_the_seasonal_points(manager) -> None:
    load(1, dt.date(2025, 5, 1), tag="season")  # the shared synthetic photo
    light = _vehicle("66가6666", dt.date(2015, 1, 1))
    _read(light, "initial", 40000, dt.date(2024, 6, 1))
    _read(light, "season-start", 45000, dt.date(2024, 11, 20))
    _read(light, "season-end", 46000, dt.date(2025, 3, 20))
    run = services.start_run(manager, *SEASON_WINDOW, programme="eco-seasonal")
    services.sign_off(services.run_evaluation(run), manager)
    assert services.pay_due(run, dt.date(2025, 5, 31)) == 1
    memo = Transaction.objects.get().memo
    assert "에코마일리지 계절관리제 특별포인트" in memo and "승용차 2025" not in memo
    body = OutboxMessage.objects.get(user=light.owner).body
    assert body.startswith("에코마일리지 계절관리제 특별포인트 2025년 시즌 10,000 마일리지")
