"""Demo ledger: the programmes' budget accounts, beneficiaries and external uses (idempotent)."""

from __future__ import annotations

from typing import TextIO

from mileage.ledger import services as ledger
from mileage.ledger.catalogue import DONATION_FUNDS, ensure_catalogue

BENEFICIARIES = DONATION_FUNDS


def seed(out: TextIO) -> None:
    for programme in ("eco-car", "walk"):
        ledger.account("budget", programme=programme)
    for name in BENEFICIARIES:
        ledger.account("beneficiary", name=name)
    for name in ("서울사랑상품권", "지방세 납부", "교통카드 충전"):
        ledger.account("external", name=name)
    ledger.account("expired", name="소멸 마일리지")
    ensure_catalogue()
    out.write(
        f"ledger: 2 budgets, {len(BENEFICIARIES)} beneficiaries, 3 external uses, catalogue\n"
    )
