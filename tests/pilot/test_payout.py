"""PILOT-8 payout: evaluation run → sign-off → award paid on final + 60 days → the city's bank
transfer export moves it out of the wallet (key pilot:enrolment:<id>:payout); twice → paid once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from mileage.core.models import AuditEntry
from mileage.evaluations import services as runs
from mileage.evaluations.models import Result
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.pilot.models import BankAccount, Outcome
from mileage.pilot.services import payout
from mileage.pilot.services.bank import set_bank_account
from mileage.pilot.services.evaluate import start_pilot_run
from tests import factories
from tests.pilot.support import evaluated_pair

pytestmark = pytest.mark.django_db
PAY_FROM, PAY_BY = dt.date(2015, 6, 19), dt.date(2015, 6, 29)


def _evaluated_and_awarded(manager: Any) -> tuple[Any, Any]:
    ev, petrol = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="012-345-678901")
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31), chunk_size=1)
    runs.sign_off(run, manager)
    assert runs.pay_due(run, PAY_FROM) == 1
    return ev, petrol


def test_pilot8_payout_moves_the_award_to_the_bank_once(programme: Any) -> None:
    manager = factories.city_manager()
    ev, petrol = _evaluated_and_awarded(manager)
    wallet = ledger.account("wallet", user=ev.member)
    assert ledger.balance(wallet) == 42000
    assert Outcome.objects.get(enrolment=petrol).status == "no-award"  # E-12: no bank account

    before = payout.export_bank_transfers(manager, PAY_FROM - dt.timedelta(days=1))
    assert before.transfers == [] and before.posted_now == 0  # PILOT-8: not before 60 days

    first = payout.export_bank_transfers(manager, PAY_FROM)
    assert first.posted_now == 1 and first.total == 42000
    (line,) = first.transfers
    assert line.account_number == "012345678901" and line.key == f"pilot:enrolment:{ev.pk}:payout"
    assert not line.late
    assert ledger.balance(wallet) == 0
    assert ledger.balance(ledger.account("external", name=payout.BANK_TRANSFER)) == 42000

    again = payout.export_bank_transfers(manager, PAY_FROM)  # run twice → paid once
    assert again.posted_now == 0 and again.transfers == first.transfers
    assert Transaction.objects.filter(key__endswith=":payout").count() == 1
    assert payout.export_bank_transfers(manager, PAY_BY).transfers == []  # nothing new
    assert AuditEntry.objects.filter(action="pilot.transfer_export").count() == 4
    assert Outcome.objects.get(enrolment=ev).paid_on == PAY_FROM
    assert_books_balance()


def test_pilot8_re_export_shows_the_account_paid_to_not_the_current_one(programme: Any) -> None:
    """Issue #13, finding 3: paid on one day, the member then enters another account; the file
    of that day, exported again, still shows the account the money went to."""
    manager = factories.city_manager()
    ev, _ = _evaluated_and_awarded(manager)
    first = payout.export_bank_transfers(manager, PAY_FROM)
    assert first.posted_now == 1 and first.transfers[0].account_number == "012345678901"

    set_bank_account(ev.member, bank_name="국민은행", holder_name="새계좌", number="999-8888-77776")
    again = payout.export_bank_transfers(manager, PAY_FROM)
    assert again.posted_now == 0
    (line,) = again.transfers
    assert (line.bank_name, line.holder_name, line.account_number) == (
        "우리은행",
        "이전기",
        "012345678901",
    )
    assert again.transfers == first.transfers
    rows = list(csv.reader(io.StringIO(payout.transfers_csv(again).decode("utf-8-sig"))))
    assert rows[1][3:6] == ["우리은행", "이전기", "012345678901"]
    outcome = Outcome.objects.get(enrolment=ev)
    assert outcome.payout_last_digits == "8901"
    assert "012345678901" not in outcome.payout_number_encrypted  # kept encrypted


def test_pilot8_payout_without_account_is_skipped_and_records_nothing(programme: Any) -> None:
    manager = factories.city_manager()
    ev, _ = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="0123456789")
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31))
    runs.sign_off(run, manager)
    runs.pay_due(run, PAY_FROM)
    BankAccount.objects.filter(member=ev.member).delete()
    export = payout.export_bank_transfers(manager, PAY_FROM)
    assert export.transfers == [] and export.skipped == [(ev.pk, "지급 계좌가 없습니다.")]
    outcome = Outcome.objects.get(enrolment=ev)
    assert outcome.paid_on is None and outcome.payout_number_encrypted == ""
    assert not Transaction.objects.filter(key__endswith=":payout").exists()


def test_pilot8_transfer_files_are_excel_friendly(programme: Any) -> None:
    manager = factories.city_manager()
    _evaluated_and_awarded(manager)
    export = payout.export_bank_transfers(manager, PAY_FROM)

    data = payout.transfers_csv(export)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Korean text
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["가입번호", "보험사", "회원"]
    assert rows[1][5] == "012345678901" and rows[1][6] == "42000"
    assert rows[-1][0] == "합계" and rows[-1][6] == "42000"

    book = load_workbook(io.BytesIO(payout.transfers_xlsx(export)))
    sheet = book.active
    assert sheet.cell(row=1, column=6).value == "계좌번호"
    account = sheet.cell(row=2, column=6)
    assert account.value == "012345678901" and account.number_format == "@"  # leading 0 kept
    assert sheet.cell(row=2, column=7).value == 42000
    assert sheet.cell(row=2, column=2).value == "현대하이카다이렉트"


def test_pilot8_late_export_still_pays_and_flags_it(programme: Any) -> None:
    manager = factories.city_manager()
    _evaluated_and_awarded(manager)
    late = payout.export_bank_transfers(manager, PAY_BY + dt.timedelta(days=1))
    assert late.posted_now == 1 and late.transfers[0].late
    assert "지급기한 경과" in payout.transfers_csv(late).decode("utf-8-sig")
    assert_books_balance()


def test_pilot8_csv_neutralises_formulas_in_names(programme: Any) -> None:
    manager = factories.city_manager()
    ev, _ = evaluated_pair()
    set_bank_account(
        ev.member, bank_name="우리은행", holder_name="=HYPERLINK(1)", number="0123456789"
    )
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31))
    runs.sign_off(run, manager)
    runs.pay_due(run, PAY_FROM)
    text = payout.transfers_csv(payout.export_bank_transfers(manager, PAY_FROM)).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_pilot_run_uses_the_evaluation_machinery_in_chunks(programme: Any) -> None:
    """PILOT-4..8 through evaluations: one Result per enrolment, chunked, keyed for the ledger."""
    manager = factories.city_manager()
    ev, petrol = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="0123456789")
    outside = start_pilot_run(manager, dt.date(2015, 5, 1), dt.date(2015, 5, 31))
    assert outside.results.count() == 0  # the finals were uploaded in April
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 4, 30), chunk_size=1)
    assert run.chunks_total == 2 and run.status == "evaluated"
    results = {r.key: r for r in Result.objects.filter(run=run)}
    assert results[f"pilot:enrolment:{ev.pk}:award"].mileage == 42000
    assert results[f"pilot:enrolment:{petrol.pk}:award"].status == "no-award"
    outcome = Outcome.objects.get(enrolment=ev)
    assert outcome.run == run and str(outcome.payment_on) == "2015-06-19"
    assert any("전기차 20% 추가" in line["ko"] for line in outcome.result["trace"])
    ev.refresh_from_db()
    assert ev.status == "evaluated"
    with pytest.raises(Exception, match="승인"):
        runs.pay_due(run, PAY_FROM)  # not signed off: nobody is paid
    assert not Transaction.objects.filter(key__startswith="pilot:").exists()


def test_pilot8_migration_backfills_payouts_made_before_snapshots(programme: Any) -> None:
    """Payouts made before migration 0005 get the member's account as it stood then."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("mileage.pilot.migrations.0005_outcome_payout_snapshot")
    manager = factories.city_manager()
    ev, _ = _evaluated_and_awarded(manager)
    payout.export_bank_transfers(manager, PAY_FROM)
    Outcome.objects.filter(enrolment=ev).update(
        payout_bank_name="",
        payout_holder_name="",
        payout_number_encrypted="",
        payout_last_digits="",
    )
    migration.backfill(apps, None)
    (line,) = payout.export_bank_transfers(manager, PAY_FROM).transfers
    assert (line.bank_name, line.account_number) == ("우리은행", "012345678901")
