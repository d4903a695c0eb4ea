"""PILOT-3 deadlines (전송 기한) as the platform enforces them, with E-11's reading of "late".

The limits are the rules engine's (`mileage.rules.pilot.rules.pilot_deadlines`, from the dated
`pilot.*` parameters in force on the contract date); this module words the verdicts:
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
from datetime import date

from mileage.core.parameters import current_parameters
from mileage.rules.params import Parameters
from mileage.rules.pilot.rules import PilotDeadlines, pilot_deadlines


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


def _limits(contract_on: date, params: Parameters | None) -> PilotDeadlines:
    return pilot_deadlines(contract_on, params or current_parameters())


def initial(contract_on: date, uploaded_on: date, params: Parameters | None = None) -> Deadline:
    """PILOT-3: initial reading before the contract or within 7 days after (E-11)."""
    limits = _limits(contract_on, params)
    due = limits.initial_due
    if uploaded_on <= due:
        return Deadline(
            "initial", due, True, f"최초 주행거리 정보가 기한({_fmt(due)}까지) 내에 접수되었습니다."
        )
    return Deadline(
        "initial",
        due,
        False,
        f"최초 주행거리 정보는 보험계약 체결 전 또는 체결 후 {limits.initial_days}일 이내"
        f"({_fmt(due)}까지) 전송해야 합니다. 기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
    )


def replacement(
    contract_on: date, changed_on: date, uploaded_on: date, params: Parameters | None = None
) -> Deadline:
    """PILOT-3/PILOT-9: after a vehicle or dashboard replacement, within 3 days of the change."""
    limits = _limits(contract_on, params)
    due = limits.replacement_due(changed_on)
    within = f"{limits.replacement_days}일"
    if uploaded_on < changed_on:
        return Deadline(
            "change-in", due, False, "차량대체·계기판 교체일보다 먼저 제출할 수 없습니다."
        )
    if uploaded_on <= due:
        return Deadline(
            "change-in",
            due,
            True,
            f"차량대체·계기판 교체 정보가 교체일로부터 {within} 이내 기한({_fmt(due)}까지)에 "
            "접수되었습니다.",
        )
    return Deadline(
        "change-in",
        due,
        False,
        f"차량대체 또는 계기판 교체 시 교체일로부터 {within} 이내({_fmt(due)}까지) 전송해야 "
        f"합니다. 기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
    )


def final(contract_on: date, uploaded_on: date, params: Parameters | None = None) -> Deadline:
    """PILOT-3: final reading within 1 month after 6 months from the contract (C-5, E-11)."""
    params = params or current_parameters()
    limits = _limits(contract_on, params)
    opens, due = limits.final_opens, limits.final_due
    if uploaded_on > due:
        return Deadline(
            "final",
            due,
            False,
            f"최종 주행거리 정보는 보험계약일로부터 {limits.final_due_months}개월 경과 후 "
            f"{limits.final_window_months}개월 이내({_fmt(opens)}~{_fmt(due)}) 전송해야 합니다. "
            "기한이 지나 시범사업 참여가 무효 처리됩니다 (PILOT-3).",
            opens_on=opens,
        )
    if uploaded_on < opens:
        min_days = int(params.at("pilot.min_participation_days", contract_on))
        return Deadline(
            "final",
            due,
            True,
            f"보험계약일로부터 {limits.final_due_months}개월({_fmt(opens)})이 지나기 전의 최종 "
            f"주행거리 정보는 조기 종료로 접수되며, 최소 {min_days}일 이상 참여한 경우에만 "
            "인센티브 대상입니다 (PILOT-8, E-11).",
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
