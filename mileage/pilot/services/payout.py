"""The pilot's payout (PILOT-8): award in the wallet → the member's bank account, by the city.

    export = export_bank_transfers(manager, on)   # post due payouts, the rows of that day's file
    transfers_csv(export) / transfers_xlsx(export)

An awarded enrolment whose award the evaluation run has paid into the member's wallet (ledger
key `pilot:enrolment:<id>:award`, effective on final upload + 60 days) is moved out as a bank
transfer with the key `pilot:enrolment:<id>:payout` (wallet → external `bank-transfer`) on a day
within the payment window, 60 to 70 days after the final submission. Exporting again on the same
day gives the same file and pays nobody twice (LEDGER-1). This is the only place the account
number is decrypted (`crypto.reveal`); each export is audited. Each payout keeps a snapshot of
the (encrypted) account it was paid to, and the files are built from those snapshots, so a file
exported again after the member changed their account still shows where the money went.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from mileage.core import audit
from mileage.ledger import services as ledger
from mileage.ledger.errors import InsufficientMileage
from mileage.ledger.models import Transaction

from .. import crypto
from ..models import BankAccount, Outcome, OutcomeStatus

log = logging.getLogger(__name__)

BANK_TRANSFER = "bank-transfer"


def payout_key(enrolment_id: int) -> str:
    """LEDGER-1: the idempotency key of an enrolment's bank transfer."""
    return f"pilot:enrolment:{enrolment_id}:payout"


@dataclass(frozen=True)
class Transfer:
    """One line of the city's transfer file (the clear account number only lives here)."""

    slot: int
    enrolment_id: int
    insurer: str
    member: str
    bank_name: str
    holder_name: str
    account_number: str
    amount: int
    payment_on: dt.date
    payment_by: dt.date
    paid_on: dt.date
    key: str

    @property
    def late(self) -> bool:
        return self.paid_on > self.payment_by


@dataclass
class Export:
    on: dt.date
    transfers: list[Transfer]
    posted_now: int
    skipped: list[tuple[int, str]]  # (enrolment id, Korean reason)

    @property
    def total(self) -> int:
        return sum(t.amount for t in self.transfers)


def due(on: dt.date) -> Any:
    """Awards paid into wallets whose payment window has opened and not yet transferred."""
    posted = Transaction.objects.filter(key__startswith="pilot:enrolment:", key__endswith=":award")
    return (
        Outcome.objects.filter(
            status=OutcomeStatus.AWARDED,
            mileage__gt=0,
            payment_on__lte=on,
            paid_on__isnull=True,
            award_key__in=posted.values("key"),
        )
        .select_related("enrolment", "enrolment__member", "enrolment__partner")
        .order_by("enrolment__slot")
    )


def export_bank_transfers(manager: Any, on: dt.date | None = None) -> Export:
    """PILOT-8: post every due payout dated `on`, then list the transfers dated `on`.

    [interp] PILOT-8: a transfer is dated the export day; an award whose 70-day window has
    already passed is still paid (flagged 기한 경과) rather than lost. A member whose wallet no
    longer holds the award, or who has no account, is skipped with a reason."""
    on = on or timezone.localdate()
    posted_now, skipped = 0, []
    external = ledger.account("external", name=BANK_TRANSFER)
    for outcome in due(on):
        enrolment = outcome.enrolment
        key = payout_key(enrolment.pk)
        wallet = ledger.account("wallet", user=enrolment.member)
        try:
            with transaction.atomic():
                account = (
                    BankAccount.objects.select_for_update().filter(member=enrolment.member).first()
                )
                if account is None:
                    skipped.append((enrolment.pk, "지급 계좌가 없습니다."))
                    continue
                ledger.transfer(
                    key,
                    wallet,
                    external,
                    outcome.mileage,
                    kind="external",
                    memo=f"승용차 마일리지 시범사업 인센티브 계좌 이체 (가입 #{enrolment.slot})",
                    effective_on=on,
                )
                Outcome.objects.filter(pk=outcome.pk, paid_on__isnull=True).update(
                    paid_on=on,
                    paid_at=timezone.now(),
                    payout_key=key,
                    # the snapshot of the account paid to, kept encrypted (issue #13, 3)
                    payout_bank_name=account.bank_name,
                    payout_holder_name=account.holder_name,
                    payout_number_encrypted=account.number_encrypted,
                    payout_last_digits=account.last_digits,
                )
        except InsufficientMileage:
            log.warning("pilot payout skipped enrolment=%s: wallet short", enrolment.pk)
            skipped.append((enrolment.pk, "지갑 잔액이 인센티브보다 적습니다."))
            continue
        posted_now += 1
    transfers = [_transfer(o, on) for o in paid_on(on)]
    audit.record(
        manager,
        "pilot.transfer_export",
        data={"on": on.isoformat(), "rows": len(transfers), "posted_now": posted_now},
    )
    log.info("pilot transfer export on=%s rows=%s posted=%s", on, len(transfers), posted_now)
    return Export(on, transfers, posted_now, skipped)


def paid_on(on: dt.date) -> Any:
    """Outcomes whose bank transfer is dated `on` (what that day's file lists)."""
    return (
        Outcome.objects.filter(paid_on=on)
        .select_related("enrolment", "enrolment__member", "enrolment__partner")
        .order_by("enrolment__slot")
    )


def _transfer(outcome: Outcome, on: dt.date) -> Transfer:
    """A paid transfer as it was made: the account comes from the payout's own snapshot, never
    from the member's current account (which they may have changed since)."""
    enrolment = outcome.enrolment
    return Transfer(
        slot=enrolment.slot,
        enrolment_id=enrolment.pk,
        insurer=enrolment.partner.name,
        member=enrolment.member.display_name or enrolment.member.username,
        bank_name=outcome.payout_bank_name,
        holder_name=outcome.payout_holder_name,
        account_number=crypto.reveal(outcome.payout_number_encrypted),
        amount=outcome.mileage,
        payment_on=outcome.payment_on,
        payment_by=outcome.payment_by,
        paid_on=on,
        key=outcome.payout_key,
    )


HEADER = (
    "가입번호",
    "보험사",
    "회원",
    "은행",
    "예금주",
    "계좌번호",
    "금액(원)",
    "지급 시작일",
    "지급 기한",
    "이체일",
    "원장 키",
    "비고",
)


def _cells(t: Transfer) -> list[Any]:
    return [
        t.slot,
        t.insurer,
        t.member,
        t.bank_name,
        t.holder_name,
        t.account_number,
        t.amount,
        t.payment_on,
        t.payment_by,
        t.paid_on,
        t.key,
        "지급기한 경과" if t.late else "",
    ]


def _safe(value: Any) -> Any:
    """No spreadsheet formulas from names people typed (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def transfers_csv(export: Export) -> bytes:
    """UTF-8 with a BOM so Excel opens the Korean text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for t in export.transfers:
        writer.writerow([_safe(c) for c in _cells(t)])
    writer.writerow(["합계", "", "", "", "", "", export.total, "", "", "", "", ""])
    return buffer.getvalue().encode("utf-8-sig")


def transfers_xlsx(export: Export) -> bytes:
    """Account numbers as text cells (leading zeros kept), dates as dates, amounts as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"이체 {export.on:%Y-%m-%d}"
    sheet.append(HEADER)
    for t in export.transfers:
        sheet.append([_safe(c) for c in _cells(t)])
        row = sheet.max_row
        sheet.cell(row=row, column=6).number_format = "@"
        for col in (8, 9, 10):
            sheet.cell(row=row, column=col).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=7).number_format = "#,##0"
    sheet.append(["합계", "", "", "", "", "", export.total])
    for col, width in zip(
        "ABCDEFGHIJKL", (9, 18, 12, 12, 12, 20, 12, 12, 12, 12, 30, 14), strict=True
    ):
        sheet.column_dimensions[col].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
