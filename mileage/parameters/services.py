"""Parameter changes (issue #14): a city manager proposes, another approves or rejects (four
eyes); approved values are layered over the YAML by `core.parameters.current_parameters()`.

Every write is audited (`parameter.propose`, `parameter.approve`, `parameter.reject`,
`parameter.withdraw`). The entry is checked when proposed and again when approved (the values in
force and the signed-off runs may have changed in between).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.core import audit
from mileage.core import parameters as core_parameters
from mileage.core.errors import NotFound
from mileage.core.models import ChangeState, ParameterChange
from mileage.core.parameters import current_parameters

from .errors import AlreadyDecided, BadParameterValue, NotYours, OwnProposal
from .validation import check_entry, parse_key


def _in_force(name: str, key: str) -> Any:
    """The value at exactly this key before the change (None when the key is new)."""
    parameter = current_parameters().info(name)
    parsed = parse_key(parameter, key)
    for k, entry in zip(parameter.keys, parameter.values, strict=True):
        if k == parsed:
            return _plain(entry.value)
    return None


def _plain(value: Any) -> Any:
    """A parameter value as JSON (for the audit row): fractions as text, tables as lists."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (int, str, bool)) or value is None:
        return value
    return str(value)


def propose(
    user: Any, name: str, key: str, value: Any, source: str, reason: str
) -> ParameterChange:
    """A new dated (or yearly) value with its source and reason, waiting for another manager."""
    if not reason.strip():
        raise BadParameterValue("변경 사유를 입력하세요.")
    check_entry(name, key, value, source)
    with transaction.atomic():
        change = ParameterChange.objects.create(
            name=name,
            key=key.strip(),
            value=value,
            source=source.strip(),
            reason=reason.strip(),
            proposer=user,
        )
        audit.record(
            user,
            "parameter.propose",
            change,
            note=change.reason,
            data={"parameter": name, "key": change.key, "value": value, "source": change.source},
        )
    return change


def _pending(change_id: int) -> ParameterChange:
    change = ParameterChange.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise NotFound("제안을 찾을 수 없습니다.")
    if change.state != ChangeState.PROPOSED:
        raise AlreadyDecided(f"이미 처리된 제안입니다 ({change.get_state_display()}).")
    return change


@transaction.atomic
def approve(user: Any, change_id: int, note: str = "") -> ParameterChange:
    """Four eyes: another city manager approves; checked again, then in force everywhere."""
    change = _pending(change_id)
    if change.proposer_id == user.pk:
        raise OwnProposal()
    check_entry(change.name, change.key, change.value, change.source)
    before = _in_force(change.name, change.key)
    change.state, change.approver = ChangeState.APPROVED, user
    change.decided_at, change.decision_note = timezone.now(), note.strip()
    change.save(update_fields=["state", "approver", "decided_at", "decision_note"])
    audit.record(
        user,
        "parameter.approve",
        change,
        note=change.decision_note,
        data={"parameter": change.name, "key": change.key, "before": before, "value": change.value},
    )
    core_parameters.forget()  # this process sees it at once (others at their next check)
    transaction.on_commit(core_parameters.forget)
    return change


@transaction.atomic
def reject(user: Any, change_id: int, note: str) -> ParameterChange:
    """Another city manager turns the proposal down, with a reason."""
    change = _pending(change_id)
    if change.proposer_id == user.pk:
        raise OwnProposal()
    if not note.strip():
        raise BadParameterValue("반려 사유를 입력하세요.")
    return _decide(user, change, ChangeState.REJECTED, "parameter.reject", note)


@transaction.atomic
def withdraw(user: Any, change_id: int) -> ParameterChange:
    """The proposer takes their own proposal back before anyone decides."""
    change = _pending(change_id)
    if change.proposer_id != user.pk:
        raise NotYours()
    return _decide(user, change, ChangeState.WITHDRAWN, "parameter.withdraw", "")


def _decide(
    user: Any, change: ParameterChange, state: str, action: str, note: str
) -> ParameterChange:
    change.state, change.decided_at, change.decision_note = state, timezone.now(), note.strip()
    if state == ChangeState.REJECTED:
        change.approver = user
    change.save(update_fields=["state", "approver", "decided_at", "decision_note"])
    audit.record(user, action, change, note=change.decision_note, data={"parameter": change.name})
    return change
