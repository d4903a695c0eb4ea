"""Demo ledger: the programmes' budget accounts, beneficiaries and external uses (idempotent)."""

from __future__ import annotations

from typing import TextIO

from . import services as ledger

BENEFICIARIES = ("서울시 사회복지공동모금회", "서울시 기후동행 나무심기 기금")


def seed(out: TextIO) -> None:
    for programme in ("eco-car", "walk"):
        ledger.account("budget", programme=programme)
    for name in BENEFICIARIES:
        ledger.account("beneficiary", name=name)
    for name in ("지방세 납부", "교통카드 충전"):
        ledger.account("external", name=name)
    ledger.account("expired", name="소멸 마일리지")
    out.write(f"ledger: 2 budgets, {len(BENEFICIARIES)} beneficiaries, 2 external uses\n")
