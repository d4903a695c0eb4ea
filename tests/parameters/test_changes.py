"""Parameters the city can change, safely (issue #14): proposed by a city manager, approved by
another (four eyes), layered over the YAML by `current_parameters()`, checked by the rules' own
parser and units, never retroactive over a signed-off run."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from mileage.core import parameters as core_parameters
from mileage.core.audit import action_label, change_of
from mileage.core.models import AuditEntry, ChangeState, ParameterChange
from mileage.core.parameters import current_parameters
from mileage.evaluations import eco_car
from mileage.evaluations import services as runs
from mileage.evaluations.models import EvaluationRun, RunStatus
from mileage.parameters import services
from mileage.parameters.errors import (
    AlreadyDecided,
    BadParameterValue,
    NotYours,
    OwnProposal,
    Retroactive,
    UnknownParameter,
)
from mileage.readings.queries import approved_histories
from mileage.rules import evaluate
from mileage.rules.errors import MissingParameter
from mileage.vehicles.models import Vehicle
from tests.evaluations.conftest import WINDOW
from tests.factories import city_manager, second_city_manager

pytestmark = pytest.mark.django_db
AVERAGE = "common.seoul_average_annual_km"
SOURCE = "국토교통부 통계누리 2023년 자동차 주행거리 통계"


@pytest.fixture
def managers():  # type: ignore[no-untyped-def]
    return city_manager(), second_city_manager()


def _propose(user, name=AVERAGE, key="2023", value=10050, source=SOURCE, reason="2023년 통계 발표"):  # type: ignore[no-untyped-def]
    return services.propose(user, name, key, value, source, reason)


def test_eco6_new_seoul_average_approved_by_another_manager_is_used_by_the_next_preview(
    managers, vehicles
) -> None:
    """ECO-6: a car registered less than a year before its enrolment (2024) takes the 2023
    Seoul average, which the YAML lacks: the run refuses it until the city's value is approved,
    then the preview of the next run evaluates it with that value, as the scalar engine does."""
    proposer, approver = managers
    new_car = vehicles[0]
    history = next(approved_histories([new_car]))
    initial = dt.date.fromisoformat(history.case()["readings"][0]["taken"])
    Vehicle.objects.filter(pk=new_car).update(first_registered_on=initial - dt.timedelta(days=100))
    run = runs.start_run(proposer, *WINDOW, chunk_size=100)
    before = eco_car.evaluate_chunk(run, min(vehicles), max(vehicles))
    assert new_car not in before.get_column("vehicle_id").to_list()  # E-4: refused, no average

    change = _propose(proposer)
    assert current_parameters().years(AVERAGE) == (2012, 2022)  # proposed is not in force
    services.approve(approver, change.pk, "통계 확인")

    params = current_parameters()
    assert params.by_year(AVERAGE, 2023) == 10050
    after = eco_car.evaluate_chunk(run, min(vehicles), max(vehicles))
    row = after.filter(after["vehicle_id"] == new_car).row(0, named=True)
    expected = evaluate(next(approved_histories([new_car])).case(), params)["cycles"][-1]
    assert row["baseline_km"] == expected["baseline_km"] == 10050.0
    # ECO-10 compares with the same average: the other cycles it blocked are evaluated now too
    assert set(before.get_column("vehicle_id")) < set(after.get_column("vehicle_id"))


def test_the_other_processes_see_an_approval_at_their_next_check(managers) -> None:
    """Across processes: a cache older than the approval is replaced at the next version check
    (another process's approval is simulated by writing the approved row directly)."""
    proposer, approver = managers
    cached = current_parameters()
    assert current_parameters() is cached
    ParameterChange.objects.create(
        name=AVERAGE,
        key="2024",
        value=9900,
        source=SOURCE,
        reason="다른 프로세스",
        proposer=proposer,
        state=ChangeState.APPROVED,
        approver=approver,
        decided_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    core_parameters._cache["checked"] = float("-inf")  # the check interval has passed
    assert current_parameters().by_year(AVERAGE, 2024) == 9900
    assert current_parameters().by_year(AVERAGE, 2024) == 9900


def test_four_eyes_the_proposer_cannot_approve_or_reject_their_own(managers) -> None:
    proposer = managers[0]
    change = _propose(proposer)
    with pytest.raises(OwnProposal) as refused:
        services.approve(proposer, change.pk)
    assert "자신이 제안한 값" in refused.value.message
    with pytest.raises(OwnProposal):
        services.reject(proposer, change.pk, "안 됨")
    change.refresh_from_db()
    assert change.state == ChangeState.PROPOSED
    with pytest.raises(MissingParameter):
        current_parameters().by_year(AVERAGE, 2023)


def test_reject_and_withdraw_are_decisions_with_their_audit_rows(managers) -> None:
    proposer, approver = managers
    first = _propose(proposer)
    with pytest.raises(BadParameterValue):
        services.reject(approver, first.pk, "  ")  # a rejection needs its reason
    services.reject(approver, first.pk, "출처 확인 필요")
    with pytest.raises(AlreadyDecided):
        services.approve(approver, first.pk)
    second = _propose(proposer, key="2024")
    with pytest.raises(NotYours):
        services.withdraw(approver, second.pk)
    services.withdraw(proposer, second.pk)
    states = dict(ParameterChange.objects.values_list("pk", "state"))
    assert states == {first.pk: ChangeState.REJECTED, second.pk: ChangeState.WITHDRAWN}
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "parameter.propose",
        "parameter.reject",
        "parameter.propose",
        "parameter.withdraw",
    ]
    assert action_label("parameter.reject") == "파라미터 변경 반려"
    with pytest.raises(MissingParameter):
        current_parameters().by_year(AVERAGE, 2023)


def test_approval_is_audited_with_before_and_after(managers) -> None:
    proposer, approver = managers
    award = "eco.maintenance_award"
    shipped = current_parameters().at(award, dt.date(2024, 1, 1))
    change = _propose(proposer, award, "2023-05-01", 12000, "시 고시 제2026-1호", "단가 인상")
    services.approve(approver, change.pk)
    entry = AuditEntry.objects.get(action="parameter.approve")
    assert entry.actor == approver and entry.subject == change
    assert change_of(entry) == f"{award} [2023-05-01]: {shipped:,} → 12,000"
    assert current_parameters().at(award, dt.date(2024, 1, 1)) == 12000


@pytest.mark.parametrize(
    ("name", "key", "value", "says"),
    [
        (AVERAGE, "2023", "10,050km", "숫자여야"),  # wrong unit: text for km
        (AVERAGE, "2023", [10050], "하나의 값"),  # a table for a single value
        ("eco.maintenance_award", "2026-01-01", 12000.5, "정수여야"),  # mileage is an integer
        ("eco.regular_km_tiers", "2026-01-01", [{"from": 0}], "같은 항목"),  # malformed table
        ("eco.regular_km_tiers", "2026-01-01", 15000, "표(목록)"),
        ("walk.steps_per_mileage", "2026-01-01", True, "정수여야"),
        (AVERAGE, "2023-01-01", 10050, "통계 연도"),  # a by-year parameter keyed by a date
        ("eco.maintenance_award", "2026-02-30", 12000, "올바른 날짜"),
    ],
)
def test_wrong_unit_type_or_key_is_refused_in_korean(managers, name, key, value, says) -> None:
    with pytest.raises(BadParameterValue) as refused:
        _propose(managers[0], name, key, value)
    assert says in refused.value.message
    assert not ParameterChange.objects.exists()


def test_unknown_name_missing_source_or_reason_are_refused(managers) -> None:
    with pytest.raises(UnknownParameter):
        _propose(managers[0], "eco.no_such_thing", "2026-01-01", 1)
    with pytest.raises(BadParameterValue, match="근거 자료"):
        _propose(managers[0], source=" ")
    with pytest.raises(BadParameterValue, match="변경 사유"):
        _propose(managers[0], reason="")
    assert not ParameterChange.objects.exists()


def test_a_date_before_the_value_it_follows_is_refused(managers) -> None:
    """`eco.maintenance_award` starts 2023-05-01: a new date must follow it (or replace it)."""
    with pytest.raises(BadParameterValue, match="마지막 값의 시작일"):
        _propose(managers[0], "eco.maintenance_award", "2023-04-30", 12000)
    _propose(managers[0], "eco.maintenance_award", "2023-05-01", 12000)  # the same date: fine


def _settled_run(status: str = RunStatus.SIGNED_OFF) -> EvaluationRun:
    return EvaluationRun.objects.create(
        window_from=dt.date(2025, 5, 1), window_to=dt.date(2025, 6, 30), status=status
    )


@pytest.mark.parametrize("status", [RunStatus.SIGNED_OFF, RunStatus.PAID])
def test_no_retroactive_change_over_a_signed_off_run(managers, status) -> None:
    run = _settled_run(status)
    award = "eco.maintenance_award"
    with pytest.raises(Retroactive) as refused:  # in force on 2025-06-01, inside the run
        _propose(managers[0], award, "2025-06-01", 12000)
    assert f"{run.pk}번 평가" in refused.value.message
    with pytest.raises(Retroactive):  # a year the run may have used (ECO-6: enrolled 2023)
        _propose(managers[0], AVERAGE, "2022", 10000)
    _propose(managers[0], award, "2025-07-01", 12000)  # after the run's window: fine
    _propose(managers[0], AVERAGE, "2023")  # a new year changes nothing in force: fine


def test_an_unsigned_run_does_not_block_a_change(managers) -> None:
    _settled_run(RunStatus.EVALUATED)
    _propose(managers[0], "eco.maintenance_award", "2025-06-01", 12000)


def test_retroactivity_is_checked_again_at_approval(managers) -> None:
    proposer, approver = managers
    change = _propose(proposer, "eco.maintenance_award", "2025-06-01", 12000)
    run = _settled_run()  # signed off while the proposal waited
    with pytest.raises(Retroactive, match=f"{run.pk}번 평가"):
        services.approve(approver, change.pk)
    change.refresh_from_db()
    assert change.state == ChangeState.PROPOSED
    assert current_parameters().at("eco.maintenance_award", dt.date(2025, 6, 1)) == 10000


def test_a_later_approved_table_is_layered_exactly(managers) -> None:
    proposer, approver = managers
    tiers = [{"from": 0, "mileage": 25000}, {"from": 10.5, "mileage": 40000}]
    change = _propose(
        proposer, "eco.regular_pct_tiers", "2027-01-01", tiers, "시 고시", "등급 조정"
    )
    services.approve(approver, change.pk)
    got = current_parameters().at("eco.regular_pct_tiers", dt.date(2027, 1, 1))
    assert got == ({"from": 0, "mileage": 25000}, {"from": Fraction(21, 2), "mileage": 40000})
    assert (
        current_parameters().at("eco.regular_pct_tiers", dt.date(2026, 12, 31))[0]["mileage"]
        == 20000
    )
