"""PILOT-3 deadlines (전송 기한) as the platform enforces them, with E-11's reading of "late".

- initial: before the insurance contract or within 7 days after it (late: after contract + 7 days)
- after a vehicle or dashboard replacement (차량대체·계기판 교체): within 3 days of the change
- final: within 1 month after 6 months from the contract (C-5); late after contract + 7 months.
  A final reading before contract + 6 months is accepted as an early end (E-11), and then the
  120-day rule of PILOT-8 decides.
Days are the upload dates (E-11). Each check returns the deadline so both sides of the limit
get a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mileage.rules.dates import add_months

INITIAL_DAYS_AFTER_CONTRACT = 7  # PILOT-3
REPLACEMENT_DAYS = 3  # PILOT-3, PILOT-9
FINAL_OPENS_MONTHS = 6  # PILOT-3
FINAL_CLOSES_MONTHS = 7  # PILOT-3: 6 months + 1 month (C-5)


@dataclass(frozen=True)
class Deadline:
    """The verdict on one submission date: within the limit or not, and the Korean message."""

    event: str
    due_on: date
    on_time: bool
    message: str
    opens_on: date | None = None
    early: bool = False


def _fmt(day: date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


def initial(contract_on: date, uploaded_on: date) -> Deadline:
    """PILOT-3: initial reading before the contract or within 7 days after (E-11)."""
    due = contract_on + timedelta(days=INITIAL_DAYS_AFTER_CONTRACT)
    if uploaded_on <= due:
        return Deadline(
            "initial", due, True, f"최초 주행거리 정보가 기한({_fmt(due)}까지) 내에 접수되었습니다."
        )
    return Deadline(
        "initial",
        due,
        False,
        f"최초 주행거리 정보는 보험계약 체결 전 또는 체결 후 1주일 이내({_fmt(due)}까지) 전송해야 "
        f"합니다. 기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
    )


def replacement(changed_on: date, uploaded_on: date) -> Deadline:
    """PILOT-3/PILOT-9: after a vehicle or dashboard replacement, within 3 days of the change."""
    due = changed_on + timedelta(days=REPLACEMENT_DAYS)
    if uploaded_on < changed_on:
        return Deadline(
            "change-in", due, False, "차량대체·계기판 교체일보다 먼저 제출할 수 없습니다."
        )
    if uploaded_on <= due:
        return Deadline(
            "change-in",
            due,
            True,
            f"차량대체·계기판 교체 정보가 교체일로부터 3일 이내 기한({_fmt(due)}까지)에 접수되었습니다.",
        )
    return Deadline(
        "change-in",
        due,
        False,
        f"차량대체 또는 계기판 교체 시 교체일로부터 3일 이내({_fmt(due)}까지) 전송해야 합니다. "
        f"기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
    )


def final(contract_on: date, uploaded_on: date) -> Deadline:
    """PILOT-3: final reading within 1 month after 6 months from the contract (C-5, E-11)."""
    opens = add_months(contract_on, FINAL_OPENS_MONTHS)
    due = add_months(contract_on, FINAL_CLOSES_MONTHS)
    if uploaded_on > due:
        return Deadline(
            "final",
            due,
            False,
            f"최종 주행거리 정보는 보험계약일로부터 6개월 경과 후 1개월 이내({_fmt(opens)}~"
            f"{_fmt(due)}) 전송해야 합니다. 기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
            opens_on=opens,
        )
    if uploaded_on < opens:
        return Deadline(
            "final",
            due,
            True,
            f"보험계약일로부터 6개월({_fmt(opens)})이 지나기 전의 최종 주행거리 정보는 조기 종료로 "
            f"접수되며, 최소 120일 이상 참여한 경우에만 인센티브 대상입니다 (PILOT-8, E-11).",
            opens_on=opens,
            early=True,
        )
    return Deadline(
        "final",
        due,
        True,
        f"최종 주행거리 정보가 기한({_fmt(due)}까지) 내에 접수되었습니다.",
        opens_on=opens,
    )
