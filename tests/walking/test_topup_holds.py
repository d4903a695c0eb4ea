"""WALK-1/WALK-3 [interp]: a late total that fair play flags is held like a day, not silently
skipped: the member sees it (보류된 걸음, 늦게 받은 걸음) and can appeal; the city pays it through
the top-up chain once, or refuses it for good; a later pass whose flags cleared pays it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mileage.core.models import AuditEntry, OutboxMessage
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import Transaction
from mileage.walking.errors import HeldDayDecided
from mileage.walking.models import DayTopUp, HeldDay, HeldKind, HeldStatus
from mileage.walking.services import fairplay
from mileage.walking.services.feed import StepRow, upsert_extras
from mileage.walking.services.topups import top_up_late_days
from mileage.walking.tasks import accrue_day
from tests import factories

from .helpers import steps

pytestmark = pytest.mark.django_db

SHAKEN = [0] * 6 + [15_000] * 4 + [500] * 14  # 67,000 in four impossible hours
HONEST = [0] * 7 + [1_000] * 9 + [500] * 8  # 13,000 walked all day


def _wallet(member) -> int:
    return ledger.balance(ledger.account("wallet", user=member))


def _ordinary_day(days_ago: int) -> dt.date:
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return on - dt.timedelta(days=1) if on.day == 11 else on


def _send(member, on, hours, source) -> None:
    steps(member, on, sum(hours), source)
    upsert_extras(source.pk, [(member.pk, StepRow("t", on, sum(hours), hourly=tuple(hours)))])


def _late_flagged(walker, walkon) -> tuple[dt.date, HeldDay]:
    """A paid 8,000-step day (80) re-sent as a shaken phone's 67,000: a held late total."""
    on = _ordinary_day(3)
    steps(walker, on, 8_000, walkon)
    accrue_day(on)
    assert _wallet(walker) == 80
    _send(walker, on, SHAKEN, walkon)
    run = top_up_late_days()
    assert (run.member_days, run.held) == (0, 1)
    return on, HeldDay.objects.get(member=walker, on=on, kind=HeldKind.TOPUP)


def test_a_flagged_late_total_is_held_with_reasons_and_what_it_would_add(walker, walkon):
    on, held = _late_flagged(walker, walkon)
    assert (held.status, held.steps, held.paid_before, held.mileage) == (
        HeldStatus.HELD,
        67_000,
        80,
        20,  # the daily cap (100) less what was paid
    )
    assert "cadence" in held.codes and held.reasons()
    assert held.topup_run_id is not None and held.run_id is None
    assert _wallet(walker) == 80 and not DayTopUp.objects.exists()
    top_up_late_days()  # the next night: still flagged, still one hold, nothing paid
    assert HeldDay.objects.filter(member=walker, on=on).count() == 1
    assert _wallet(walker) == 80


def test_member_sees_the_held_late_total_in_korean_and_can_appeal(client, walker, walkon):
    on, held = _late_flagged(walker, walkon)
    client.force_login(walker)
    page = client.get("/walking/").content.decode()
    assert "보류된 걸음" in page
    assert "늦게 받은 걸음 67,000보 추가 적립 20 마일리지 보류" in page
    assert "사람이 계속 걷기 어려운 속도" in page
    for code in ("cadence", "WALK-1", "topup", on.isoformat()):
        assert code not in page
    response = client.post(f"/walking/held/{held.pk}/appeal/", {"appeal": "마라톤을 뛰었습니다"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.appeal == "마라톤을 뛰었습니다" and held.status == HeldStatus.HELD


def test_city_sees_it_marked_and_pays_it_once_through_the_top_up_chain(client, walker, walkon):
    on, held = _late_flagged(walker, walkon)
    client.force_login(factories.city_manager())
    page = client.get("/walking/city/fairplay/").content.decode()
    assert 'data-testid="late-total"' in page and "늦게 받은 걸음" in page
    assert "추가 20 마일리지" in page
    response = client.post(f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "pay"})
    assert response.status_code == 302
    assert _wallet(walker) == 100
    key = f"walk:topup:{walker.pk}:{on.isoformat()}:100"
    assert Transaction.objects.filter(key=key).count() == 1
    assert list(DayTopUp.objects.values_list("steps", "paid_before", "paid_after")) == [
        (67_000, 80, 100)
    ]
    again = client.post(f"/walking/city/fairplay/{held.pk}/decide/", {"decision": "pay"})
    assert again.status_code == 409
    run = top_up_late_days()  # the next night's pass: nothing held, nothing paid again
    assert (run.member_days, run.held) == (0, 0)
    assert _wallet(walker) == 100
    assert "늦게 받은 걸음 67,000보의 보류가 풀려 20 마일리지" in (
        OutboxMessage.objects.get(user=walker, kind="walk.held.decision").body
    )
    assert_books_balance()


def test_refused_late_total_is_neither_held_nor_paid_again(walker, walkon):
    on, held = _late_flagged(walker, walkon)
    with pytest.raises(HeldDayDecided):  # decided once only
        fairplay.decide(factories.city_manager(), held.pk, pay=False, reason="흔들기")
        fairplay.decide(factories.city_manager(), held.pk, pay=True)
    held.refresh_from_db()
    assert held.status == HeldStatus.REFUSED
    run = top_up_late_days()
    assert (run.member_days, run.held) == (0, 0)
    _send(walker, on, HONEST, walkon)  # even a plausible total: the day's top-ups from 80 end
    run = top_up_late_days()
    assert (run.member_days, run.held) == (0, 0)
    assert _wallet(walker) == 80 and not DayTopUp.objects.exists()
    assert HeldDay.objects.filter(member=walker, on=on).count() == 1
    notice = OutboxMessage.objects.get(user=walker, kind="walk.held.decision").body
    assert "늦게 받은 걸음 67,000보는 마일리지를 지급하지 않기로" in notice


def test_a_later_pass_whose_flags_cleared_pays_it_and_marks_the_hold_paid(walker, walkon):
    on, held = _late_flagged(walker, walkon)
    _send(walker, on, HONEST, walkon)  # the partner corrects it
    run = top_up_late_days()
    assert (run.member_days, run.mileage_total, run.held) == (1, 20, 0)
    held.refresh_from_db()
    assert (held.status, held.steps, held.mileage) == (HeldStatus.PAID, 13_000, 20)
    assert held.decided_by is None and held.decided_at is not None
    assert AuditEntry.objects.filter(action="walk.held.release", actor=None).count() == 1
    assert "보류가 풀려 20 마일리지" in OutboxMessage.objects.get(user=walker).body
    with pytest.raises(HeldDayDecided):
        fairplay.decide(factories.city_manager(), held.pk, pay=True)
    assert _wallet(walker) == 100
    assert_books_balance()


def test_a_day_held_then_paid_by_the_city_can_hold_its_late_total_too(walker, walkon):
    """HeldDay is keyed by (member, day, kind, paid before): the day's own hold and the hold of
    its late total live side by side."""
    on = _ordinary_day(4)
    steps(walker, on, 6_000, walkon)
    upsert_extras(walkon.pk, [(walker.pk, StepRow("t", on, 6_000, manual_steps=5_500))])
    accrue_day(on)
    day = HeldDay.objects.get(member=walker, on=on)
    assert day.kind == HeldKind.DAY and "manual" in day.codes
    fairplay.decide(factories.city_manager(), day.pk, pay=True)
    assert _wallet(walker) == 60
    steps(walker, on, 9_000, walkon)  # a larger late total, still mostly typed in
    upsert_extras(walkon.pk, [(walker.pk, StepRow("t", on, 9_000, manual_steps=8_500))])
    run = top_up_late_days()
    assert run.held == 1
    late = HeldDay.objects.get(member=walker, on=on, kind=HeldKind.TOPUP)
    assert (late.paid_before, late.mileage, late.status) == (60, 30, HeldStatus.HELD)
    fairplay.decide(factories.city_manager(), late.pk, pay=True)
    assert _wallet(walker) == 90
    assert Transaction.objects.filter(key=f"walk:topup:{walker.pk}:{on.isoformat()}:90").exists()
    assert_books_balance()
