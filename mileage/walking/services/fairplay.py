"""Fair play in the daily accrual (부정 걸음 방지, WALK-1 [interp]): held days, appeals, decisions.

`review_chunk` gathers the facts of a chunk's member-days set-based — a fixed handful of queries
per chunk, whatever its size: the chunk's step extras, the sources of the few members that need
them, the members sharing their devices, and the history of the few days above the spike floor
— and asks `mileage.rules.walk.fairplay` which days to hold. `accrue_chunk` pays the rest and
records the held ones (`hold`).

A held day is paid later (an official's 지급, or automatically when a rerun of the day finds it
no longer flagged, e.g. a "far above history" day another source now confirms) only through
the day's own `DayAccrual` claim and ledger key `walk:day:<member>:<date>`, the accrual's own:
a decision, a rerun or both at once pay it once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mileage.accounts import scope
from mileage.core import audit
from mileage.core.errors import Forbidden
from mileage.core.notify import get_notifier
from mileage.core.parameters import current_parameters
from mileage.ledger import services as ledger
from mileage.ledger.bulk import post_awards
from mileage.rules.walk import fairplay as rules
from mileage.rules.walk.fairplay import DayFacts, Review

from ..errors import AppealEmpty, AppealExists, HeldDayDecided, RefusalReasonRequired
from ..models import DayAccrual, DayTopUp, HeldDay, HeldKind, HeldStatus, StepExtra, StepReport
from ..queries import counted_days

IN_CHUNK = 5_000  # ids per IN list (under SQLite's and psycopg's parameter limits)
APPEAL_MAX = 2_000


def _in_chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _by_ids(qs: QuerySet, field: str, ids: Iterable[Any]) -> list[tuple]:
    """Rows of `qs` whose `field` is in `ids`: one query (a few on SQLite), never one per id."""
    ids = sorted(set(ids))
    out: list[tuple] = []
    for part in _in_chunks(ids):
        out.extend(qs.filter(**{f"{field}__in": part}))
    return out


def review_chunk(
    on: dt.date, rows: Sequence[tuple[int, int]], first: int, last: int
) -> dict[int, Review]:
    """WALK-1 [interp]: the review of each (member, counted steps) of a chunk that has a flag or
    a cleared flag; members not in the answer are paid as usual."""
    params = current_parameters()
    steps = dict(rows)
    extras: dict[int, list[tuple[int, int, Any, str]]] = defaultdict(list)
    for member, source, manual, hourly, device in StepExtra.objects.filter(
        on=on, member_id__gte=first, member_id__lte=last
    ).values_list("member_id", "source_id", "manual_steps", "hourly", "device"):
        if member in steps:
            extras[member].append((source, manual, hourly, device))
    spiky = [m for m, s in rows if rules.needs_history(s, params, on)]
    # Per-source totals only for the days whose extras or confirmation depend on the source.
    sources: dict[int, dict[int, int]] = defaultdict(dict)
    reports = StepReport.objects.filter(on=on).values_list("member_id", "source_id", "steps")
    for member, source, total in _by_ids(reports, "member_id", [*extras, *spiky]):
        sources[member][source] = total
    sharing = _device_members(on, {d for xs in extras.values() for *_, d in xs if d})
    history = _history(on, spiky, params)
    out: dict[int, Review] = {}
    for member in {*extras, *spiky}:
        counted = steps[member]
        totals = sources.get(member, {})
        top = [s for s, t in totals.items() if t == counted]
        own = [x for x in extras.get(member, []) if x[0] in top]
        best = min(own, key=lambda x: x[1]) if own else None  # a tie: the benefit of the doubt
        facts = DayFacts(
            on=on,
            steps=counted,
            manual_steps=best[1] if best else 0,
            hourly=best[2] if best else None,
            history=history.get(member, ()),
            other_sources=sorted(t for s, t in totals.items() if s != (top[0] if top else None)),
            device_members=max(
                (sharing.get(d, 1) for *_, d in extras.get(member, []) if d), default=1
            ),
        )
        review = rules.review_day(facts, params)
        if review.flags or review.cleared:
            out[member] = review
    return out


def _device_members(on: dt.date, devices: set[str]) -> dict[str, int]:
    """Members per device hash on `on`, across all members (not only the chunk's)."""
    if not devices:
        return {}
    seen: dict[str, set[int]] = defaultdict(set)
    qs = StepExtra.objects.filter(on=on).values_list("device", "member_id")
    for device, member in _by_ids(qs, "device", devices):
        seen[device].add(member)
    return {d: len(ms) for d, ms in seen.items()}


def _history(on: dt.date, members: Sequence[int], params: Any) -> dict[int, list[int]]:
    """The members' counted steps on their days of the window before `on` (one grouped read)."""
    if not members:
        return {}
    start = on - dt.timedelta(days=rules.history_window_days(params, on))
    qs = counted_days(on__gte=start, on__lt=on).values_list("member_id", "steps")
    out: dict[int, list[int]] = defaultdict(list)
    for member, total in _by_ids(qs, "member_id", members):
        out[member].append(total)
    return out


def hold(
    run_id: int,
    on: dt.date,
    held: Sequence[tuple[int, int, int]],
    reviews: dict[int, Review],
    first: int,
    last: int,
) -> int:
    """Record the chunk's held member-days; returns how many are new. A day still pending from
    an earlier run whose steps or flags changed (a partner re-sent it) gets the new ones; a
    decided one is left as decided. One read of the chunk's earlier holds, one insert, an
    update only per changed pending day."""
    if not held:
        return 0
    before = {
        m: (status, steps, codes)
        for m, status, steps, codes in HeldDay.objects.filter(
            on=on, kind=HeldKind.DAY, member_id__gte=first, member_id__lte=last
        ).values_list("member_id", "status", "steps", "codes")
    }
    fresh = []
    for m, s, g in held:
        flags, codes = _flag_fields(reviews[m])
        if m not in before:
            fresh.append(
                HeldDay(
                    member_id=m, on=on, steps=s, mileage=g, flags=flags, codes=codes, run_id=run_id
                )
            )
        elif before[m][0] == HeldStatus.HELD and before[m][1:] != (s, codes):
            HeldDay.objects.filter(
                member_id=m, on=on, kind=HeldKind.DAY, status=HeldStatus.HELD
            ).update(steps=s, mileage=g, flags=flags, codes=codes)
    HeldDay.objects.bulk_create(fresh, ignore_conflicts=True)  # a rival run may hold it too
    return len(fresh)


def release(
    on: dt.date, paid: Iterable[int], reviews: dict[int, Review], first: int, last: int
) -> int:
    """Held days of `on` that this run paid because they are no longer flagged: 지급 by rule,
    audited (no actor) and told to the member like an official's decision. One read of the
    chunk's pending holds (usually none); the rest only per released day."""
    pending = dict(
        HeldDay.objects.filter(
            on=on,
            kind=HeldKind.DAY,
            status=HeldStatus.HELD,
            member_id__gte=first,
            member_id__lte=last,
        ).values_list("member_id", "pk")
    )
    released = [pending[m] for m in paid if m in pending]
    for held in HeldDay.objects.filter(pk__in=released).select_related("member"):
        _auto_release(held, reviews.get(held.member_id), "지급했습니다")
    return len(released)


def hold_topups(
    run_id: int,
    on: dt.date,
    held: Sequence[tuple[int, int, int, int]],
    reviews: dict[int, Review],
    first: int,
    last: int,
) -> int:
    """Record the late totals of `on` the top-up pass did not pay because of flags, as (member,
    counted steps, paid before, paid after); returns how many holds are new. One hold per
    (member, day, paid before): a pending one whose total or flags changed gets the new ones, a
    decided one is left as decided (a refused one never reaches here: `topups._candidates`)."""
    if not held:
        return 0
    before = {
        (m, b): (status, steps, codes)
        for m, b, status, steps, codes in HeldDay.objects.filter(
            on=on, kind=HeldKind.TOPUP, member_id__gte=first, member_id__lte=last
        ).values_list("member_id", "paid_before", "status", "steps", "codes")
    }
    fresh = []
    for m, s, b, a in held:
        flags, codes = _flag_fields(reviews[m])
        known = before.get((m, b))
        if known is None:
            fresh.append(
                HeldDay(
                    member_id=m,
                    on=on,
                    kind=HeldKind.TOPUP,
                    paid_before=b,
                    steps=s,
                    mileage=a - b,
                    flags=flags,
                    codes=codes,
                    topup_run_id=run_id,
                )
            )
        elif known[0] == HeldStatus.HELD and known[1:] != (s, codes):
            HeldDay.objects.filter(
                member_id=m, on=on, kind=HeldKind.TOPUP, paid_before=b, status=HeldStatus.HELD
            ).update(steps=s, mileage=a - b, flags=flags, codes=codes, topup_run_id=run_id)
    HeldDay.objects.bulk_create(fresh, ignore_conflicts=True)  # a rival pass may hold it too
    return len(fresh)


def release_topups(
    on: dt.date, paid: Sequence[tuple[int, int, int, int]], reviews: dict[int, Review]
) -> int:
    """Pending late-total holds of `on` that this pass just topped up (the flags cleared, or
    the partner sent a plausible total): 지급 by rule, audited, told to the member. `paid` is
    the pass's claimed (member, steps, paid before, paid after); one read of the pending holds
    in their id range (usually none), the rest only per released hold."""
    if not paid:
        return 0
    claimed = {(m, b): (s, a) for m, s, b, a in paid}
    # skip_locked: a hold an official is deciding right now is theirs to mark (and their claim
    # of the same chain link finds this pass's), so the two never wait on each other
    pending = [
        h
        for h in HeldDay.objects.filter(
            on=on,
            kind=HeldKind.TOPUP,
            status=HeldStatus.HELD,
            member_id__gte=min(m for m, *_ in paid),
            member_id__lte=max(m for m, *_ in paid),
        )
        .select_related("member")
        .select_for_update(skip_locked=True, of=("self",))
        if (h.member_id, h.paid_before) in claimed
    ]
    released = 0
    for held in pending:
        steps, after = claimed[(held.member_id, held.paid_before)]
        held.steps, held.mileage = steps, after - held.paid_before
        released += _auto_release(
            held,
            reviews.get(held.member_id),
            "추가 적립했습니다",
            steps=steps,
            mileage=held.mileage,
        )
    return released


def _flag_fields(review: Review) -> tuple[list[dict[str, Any]], str]:
    """A review's flags as a hold stores them: the Korean reasons, and the codes padded with
    spaces (so a filter by one code is a `contains` of " code ")."""
    flags = [f.as_dict() for f in review.flags]
    return flags, " " + " ".join(f.code for f in review.flags) + " "


def _auto_release(held: HeldDay, review: Review | None, done: str, **paid: int) -> bool:
    """지급 by rule of one pending hold this run or pass has just paid (`paid`: the steps and
    mileage a late total was paid for, when they differ from the hold's): marked once (a rival
    who marked it first wins), audited without an actor, told to the member. False when it was
    no longer pending."""
    why = " ".join(f.reason for f in review.cleared) if review and review.cleared else ""
    why = why or "다시 확인한 결과 보류 사유가 없어 자동 지급되었습니다."
    if not HeldDay.objects.filter(pk=held.pk, status=HeldStatus.HELD).update(
        status=HeldStatus.PAID, decided_at=timezone.now(), decision_reason=why, **paid
    ):
        return False
    audit.record(None, "walk.held.release", held, reason="auto", note=why)
    _tell(held, f"{_what(held)}의 보류가 풀려 {held.mileage:,} 마일리지를 {done}. {why}")
    return True


def _what(held: HeldDay) -> str:
    """The held thing in the member's words: a day's steps or a late total of a paid day."""
    if held.kind == HeldKind.TOPUP:
        return f"{_day(held.on)} 늦게 받은 걸음 {held.steps:,}보"
    return f"{_day(held.on)} 걸음 {held.steps:,}보"


def _day(on: dt.date) -> str:
    return f"{on.year}년 {on.month}월 {on.day}일"


def _tell(held: HeldDay, body: str) -> None:
    """The member hears of the decision once (one outbox key per held day)."""
    get_notifier().send(
        held.member,
        kind="walk.held.decision",
        subject="[걷기 마일리지] 보류된 걸음 결정 안내",
        body=body,
        key=f"walk:held:{held.pk}:decision",
    )


def held_days_of(member: Any) -> QuerySet[HeldDay]:
    return HeldDay.objects.filter(member=member).order_by("-on")


def appeal(member: Any, held_id: int, text: str) -> HeldDay:
    """이의 신청: once per held day, with a text; the member's own held days only."""
    text = (text or "").strip()
    with transaction.atomic():
        held = HeldDay.objects.select_for_update().filter(pk=held_id, member=member).first()
        if held is None:
            raise Forbidden()
        if not text:
            raise AppealEmpty()
        if held.appealed_at is not None:
            raise AppealExists()
        if held.status != HeldStatus.HELD:
            raise HeldDayDecided()
        held.appeal = text[:APPEAL_MAX]
        held.appealed_at = timezone.now()
        held.save(update_fields=["appeal", "appealed_at"])
        audit.record(member, "walk.held.appeal", held, note=held.appeal)
    return held


def decide(official: Any, held_id: int, *, pay: bool, reason: str = "") -> HeldDay:
    """The city decides a held day: 지급 (paid through the day's own claim and ledger key) or
    지급 안 함 (with a reason). Audited, and the member is told through the outbox. Once."""
    if not scope.is_city(official):
        raise Forbidden()
    reason = (reason or "").strip()
    if not pay and not reason:
        raise RefusalReasonRequired()
    with transaction.atomic():
        changed = HeldDay.objects.filter(pk=held_id, status=HeldStatus.HELD).update(
            status=HeldStatus.PAID if pay else HeldStatus.REFUSED,
            decided_by=official,
            decided_at=timezone.now(),
            decision_reason=reason,
        )
        if changed != 1:  # decided already (or by a rival request that committed first)
            raise HeldDayDecided()
        held = HeldDay.objects.select_related("member").get(pk=held_id)
        if pay and held.kind == HeldKind.TOPUP:
            _pay_topup(held)
        elif pay:
            _pay(held)
        audit.record(
            official,
            "walk.held.pay" if pay else "walk.held.refuse",
            held,
            reason="pay" if pay else "refuse",
            note=reason,
            data={
                "member": held.member_id,
                "on": held.on.isoformat(),
                "steps": held.steps,
                "kind": held.kind,
                "paid_before": held.paid_before,
            },
        )
        _tell(
            held,
            f"{_what(held)}의 보류가 풀려 {held.mileage:,} 마일리지를 지급했습니다."
            if pay
            else f"{_what(held)}는 마일리지를 지급하지 않기로 했습니다. 사유: {reason}",
        )
    return held


def _pay(held: HeldDay) -> None:
    """WALK-3 through the accrual's own claim and key: a rerun that claimed it first wins."""
    from .accrual import KEY_PREFIX, PROGRAMME

    DayAccrual.objects.bulk_create(
        [
            DayAccrual(
                member_id=held.member_id,
                on=held.on,
                steps=held.steps,
                mileage=held.mileage,
                run_id=held.run_id,
            )
        ],
        ignore_conflicts=True,
    )
    paid = DayAccrual.objects.get(member_id=held.member_id, on=held.on)
    budget = ledger.account("budget", programme=PROGRAMME)
    post_awards(
        budget,
        [
            (
                f"{KEY_PREFIX}{held.member_id}:{held.on.isoformat()}",
                held.member_id,
                paid.mileage,
                held.on,
            )
        ],
        memo=f"걷기 마일리지 {held.on:%Y-%m-%d} (보류 해제)",
    )


def _pay_topup(held: HeldDay) -> None:
    """WALK-1/WALK-3 [interp] a held late total, through the top-up chain: the `DayTopUp` claim
    from the hold's `paid_before` and the pass's own key. A pass that extended the chain from
    that total first wins (its claim and key are the ones posted; the post is idempotent)."""
    from .accrual import PROGRAMME
    from .topups import KEY_PREFIX, MEMO

    DayTopUp.objects.bulk_create(
        [
            DayTopUp(
                member_id=held.member_id,
                on=held.on,
                steps=held.steps,
                paid_before=held.paid_before,
                paid_after=held.paid_before + held.mileage,
                mileage=held.mileage,
                run_id=held.topup_run_id,
            )
        ],
        ignore_conflicts=True,
    )
    top = DayTopUp.objects.get(member_id=held.member_id, on=held.on, paid_before=held.paid_before)
    budget = ledger.account("budget", programme=PROGRAMME)
    post_awards(
        budget,
        [
            (
                f"{KEY_PREFIX}{held.member_id}:{held.on.isoformat()}:{top.paid_after}",
                held.member_id,
                top.mileage,
                held.on,
            )
        ],
        memo=f"{MEMO} {held.on:%Y-%m-%d} (보류 해제)",
    )
