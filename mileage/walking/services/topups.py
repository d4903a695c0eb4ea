"""WALK-1/WALK-3 [interp]: late sync paid fairly. A watch that syncs late sends a larger total
for a day that was already paid; WALK-1 counts the largest total, so the difference is paid.

The top-up pass looks at each day of the late-sync window (`walk.late_sync_days`, yesterday back
to that many days ago). Per day, one grouped SQL read finds the paid member-days whose counted
steps (largest source) are now above every total paid so far; amounts come from the rules engine
(`rates.paid_day_mileage`, the day's cap and bonus multiplier as in the accrual); a member-day
whose new amount is above what it was paid (`DayAccrual.mileage` + its earlier top-ups) gets a
`DayTopUp` claim and a posting budget → wallet for the difference, in chunks of `CHUNK` members,
each chunk one transaction (claims and postings together).

Never twice: a member-day's top-ups are a chain from the accrual's amount upwards and the claim
is unique on (member, day, paid before), so a rerun finds the paid total already there and a
rival pass at the same moment loses its claim (ON CONFLICT DO NOTHING); the ledger key
`walk:topup:<member>:<date>:<paid total after>` is unique along the chain. A smaller later total
changes nothing (nothing is ever clawed back).

Fair play (WALK-1 [interp]) as in the accrual: a flagged late total is held (`HeldDay` of kind
`topup`, keyed by the paid total it would extend), shown to the member with 이의 신청 and to
the city with 지급 / 지급 안 함. 지급 claims the same chain link with the same key; a later pass
whose flags cleared pays it and marks the hold paid; a refused hold ends the day's top-ups from
that paid total (no later pass holds or pays a late total of that day from it again).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import CharField, F, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.bulk import post_awards

from .. import rates
from ..models import DayAccrual, DayTopUp, HeldDay, HeldKind, HeldStatus, TopUpRun
from ..queries import counted_days
from . import fairplay
from .accrual import PROGRAMME, bonus_multiplier

log = logging.getLogger(__name__)

CHUNK = 20_000
KEY_PREFIX = "walk:topup:"
MEMO = "걷기 마일리지 늦게 받은 걸음 추가 적립"


def window(today: dt.date) -> list[dt.date]:
    """The days a late total is still taken and topped up: yesterday back to N days ago."""
    return [today - dt.timedelta(days=k) for k in range(1, rates.late_sync_days(today) + 1)]


def top_up_late_days(
    today: dt.date | None = None, *, started_by: str = "scheduler", chunk: int = CHUNK
) -> TopUpRun:
    """Pay every paid member-day of the window whose counted steps now pay more; idempotent."""
    today = today or timezone.localdate()
    days = window(today)
    budget = ledger.account("budget", programme=PROGRAMME)
    run = TopUpRun.objects.create(first_day=days[-1], last_day=days[0], started_by=started_by[:60])
    for on in sorted(days):
        rows = _candidates(on)
        if not rows:
            continue
        # Fair play (WALK-1 [interp]) as in the accrual: a late total that is flagged (a shaken
        # phone re-sent, hand-entered steps, ...) tops up nothing and is held; the next nights
        # of the window look at it again, so one that a rule clears later is paid (and released).
        reviews = fairplay.review_chunk(on, [(m, s) for m, s, _ in rows], rows[0][0], rows[-1][0])
        flagged = {m for m, review in reviews.items() if review.flags}
        multiplier = bonus_multiplier(on)
        due, held = [], []
        for member_id, steps, paid in rows:
            after = rates.paid_day_mileage(on, steps, multiplier)
            if after <= paid:  # more steps may still pay nothing more (the daily cap)
                continue
            (held if member_id in flagged else due).append((member_id, steps, paid, after))
        run.held += len(held)
        for start in range(0, len(held), chunk):
            part = held[start : start + chunk]
            fairplay.hold_topups(run.pk, on, part, reviews, part[0][0], part[-1][0])
        for start in range(0, len(due), chunk):
            _pay_chunk(run, budget, on, due[start : start + chunk], reviews)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "held"])
    log.info(
        "walk top-up days=%s..%s paid=%d mileage=%d",
        run.first_day,
        run.last_day,
        run.member_days,
        run.mileage_total,
    )
    return run


def _candidates(on: dt.date) -> list[tuple[int, int, int]]:
    """(member, counted steps, mileage paid so far) of the paid member-days of `on` whose counted
    steps are above every total paid for them and whose top-up from that paid total the city
    has not refused; one statement (a grouped read joined to the day's claims and the sums of
    its top-ups)."""
    counted, params = counted_days(on=on).query.sql_with_params()
    q = connection.ops.quote_name
    accruals, topups, col = q(DayAccrual._meta.db_table), q(DayTopUp._meta.db_table), q("on")
    holds = q(HeldDay._meta.db_table)
    sql = (
        "SELECT c.member_id, c.steps, a.mileage + COALESCE(t.added, 0) "
        f"FROM ({counted}) AS c "
        f"JOIN {accruals} AS a ON a.member_id = c.member_id AND a.{col} = %s "
        "LEFT JOIN (SELECT member_id, SUM(mileage) AS added, MAX(steps) AS top "
        f"FROM {topups} WHERE {col} = %s GROUP BY member_id) AS t ON t.member_id = c.member_id "
        "WHERE c.steps > a.steps AND c.steps > COALESCE(t.top, 0) "
        f"AND NOT EXISTS (SELECT 1 FROM {holds} AS h WHERE h.member_id = c.member_id "
        f"AND h.{col} = %s AND h.kind = %s AND h.status = %s "
        "AND h.paid_before = a.mileage + COALESCE(t.added, 0)) ORDER BY c.member_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*params, on, on, on, HeldKind.TOPUP.value, HeldStatus.REFUSED.value])
        return [(int(m), int(s), int(p)) for m, s, p in cur.fetchall()]


def _pay_chunk(
    run: TopUpRun,
    budget: object,
    on: dt.date,
    due: list[tuple[int, int, int, int]],
    reviews: dict[int, fairplay.Review] | None = None,
) -> None:
    """Claim the chunk's top-ups and post the ones this pass claimed, in one transaction; holds
    of the same late totals still pending are marked paid (released) in it too."""
    with transaction.atomic():
        fresh = _claim(run.pk, on, due)
        if not fresh:
            return
        key = Concat(
            Value(KEY_PREFIX),
            Cast("member_id", CharField()),
            Value(f":{on.isoformat()}:"),
            Cast("paid_after", CharField()),
            output_field=CharField(),
        )
        awards = DayTopUp.objects.filter(
            run_id=run.pk, on=on, member_id__gte=due[0][0], member_id__lte=due[-1][0]
        ).values_list(key, "member_id", "mileage", "on")
        post_awards(budget, awards, memo=f"{MEMO} {on:%Y-%m-%d}")
        added = DayTopUp.objects.filter(
            run_id=run.pk, on=on, member_id__gte=due[0][0], member_id__lte=due[-1][0]
        ).aggregate(s=Sum("mileage"))["s"]
        TopUpRun.objects.filter(pk=run.pk).update(
            member_days=F("member_days") + len(fresh), mileage_total=F("mileage_total") + added
        )
        fairplay.release_topups(on, [d for d in due if d[0] in fresh], reviews or {})
    run.refresh_from_db(fields=["member_days", "mileage_total"])


def _claim(run_id: int, on: dt.date, due: list[tuple[int, int, int, int]]) -> set[int]:
    """Insert the DayTopUp rows; returns the members this pass claimed (not a rival pass)."""
    table = connection.ops.quote_name(DayTopUp._meta.db_table)
    col = connection.ops.quote_name("on")
    cols = f"member_id, {col}, steps, paid_before, paid_after, mileage, run_id, created_at"
    conflict = f"ON CONFLICT (member_id, {col}, paid_before) DO NOTHING"
    now = timezone.now()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"INSERT INTO {table} ({cols}) "
                "SELECT m, %s, s, b, a, a - b, %s, %s "
                "FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[]) AS t(m, s, b, a) "
                f"{conflict} RETURNING member_id",
                [
                    on,
                    run_id,
                    now,
                    [d[0] for d in due],
                    [d[1] for d in due],
                    [d[2] for d in due],
                    [d[3] for d in due],
                ],
            )
            return {r[0] for r in cur.fetchall()}
        claimed: set[int] = set()
        for m, s, b, a in due:
            cur.execute(
                f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) {conflict}",
                [m, on, s, b, a, a - b, run_id, now],
            )
            if cur.rowcount:
                claimed.add(m)
        return claimed


def day_entries(member_id: int, start: dt.date, end: dt.date) -> list[dict[str, object]]:
    """The member's walking payments in [start, end], newest first: each day's accrual and its
    top-ups, with the steps each paid for (the page words them in Korean)."""
    rows: list[dict[str, object]] = [
        {"on": on, "steps": steps, "mileage": mileage, "late": False, "order": 0}
        for on, steps, mileage in DayAccrual.objects.filter(
            member_id=member_id, on__gte=start, on__lte=end
        ).values_list("on", "steps", "mileage")
    ]
    rows += [
        {"on": on, "steps": steps, "mileage": mileage, "late": True, "order": after}
        for on, steps, mileage, after in DayTopUp.objects.filter(
            member_id=member_id, on__gte=start, on__lte=end
        ).values_list("on", "steps", "mileage", "paid_after")
    ]
    rows.sort(key=lambda r: (r["on"], r["order"]), reverse=True)
    return rows
