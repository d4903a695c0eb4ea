"""WALK-3: the daily accrual. A day's counted member-days (largest source, WALK-1) become mileage
postings budget → wallet, once per member-day (ledger key `walk:day:<member>:<date>`).

Fanned out: `start_accrual` opens a run and cuts the day's unpaid members into chunks of
consecutive member ids (one SQL statement, no member list through Python); each chunk is paid by
`accrue_chunk`, one Celery task per chunk (`mileage.walking.tasks.accrue_day` enqueues them as a
group; without a broker they run in-process, one after another). A chunk is set-based: one
grouped read of its members' day, amounts from the rules engine per distinct step count,
`DayAccrual` claims inserted with ON CONFLICT DO NOTHING (a rerun or a rival run skips what is
already paid), and the chunk's postings written in the same transaction.

Fair play (WALK-1 [interp], issue #11, `services.fairplay`): before the claims, the chunk's
member-days are reviewed set-based; flagged ones are held (`HeldDay`), not claimed. A pending
hold is reviewed again by a rerun (paid if no longer flagged); a refused one is never paid.

Safe to run twice at every level: a redelivered chunk task finds its chunk done (`done_at`, set
first in the chunk's transaction, so a concurrent second delivery waits and then does nothing);
a second run of the day finds every member-day claimed; the ledger keys pay each member-day once.
"""

from __future__ import annotations

import datetime as dt
import logging
from fractions import Fraction

from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.bulk import post_awards
from mileage.ledger.models import Account

from .. import rates
from ..models import AccrualChunk, AccrualRun, BonusDay, DayAccrual, HeldDay, HeldKind, HeldStatus
from ..queries import counted_days
from . import fairplay

log = logging.getLogger(__name__)

PROGRAMME = "walk"
CHUNK = 20_000


def bonus_multiplier(on: dt.date) -> Fraction:
    """WALK-3 bonus (e.g. 걷기의 날, the 11th): the bonus days the city entered for `on`, combined
    as the rules engine says (the largest wins; 1 without any)."""
    found = BonusDay.objects.filter(
        Q(day_of_month=on.day) | Q(day_of_month__isnull=True),
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        starts_on__lte=on,
    ).values_list("multiplier", flat=True)
    return rates.bonus_multiplier(found)


def start_accrual(on: dt.date, *, started_by: str = "scheduler", chunk: int = CHUNK) -> AccrualRun:
    """Open a run for `on` with its chunks of at most `chunk` unpaid members; pays nothing yet.

    A day with nothing left to pay gets a run with no chunks, finished at once.
    """
    if on >= timezone.localdate():
        raise ValueError("only finished days are accrued (the day must be over)")
    ledger.account("budget", programme=PROGRAMME)  # made once here, not raced for by the chunks
    ranges = _chunk_ranges(on, rates.min_paying_steps(on), chunk)
    with transaction.atomic():
        run = AccrualRun.objects.create(
            on=on,
            started_by=started_by[:60],
            chunks_total=len(ranges),
            finished_at=None if ranges else timezone.now(),
        )
        AccrualChunk.objects.bulk_create(
            AccrualChunk(run=run, number=n, first_member_id=first, last_member_id=last)
            for n, (first, last) in enumerate(ranges)
        )
    return run


def accrue_chunk(run_id: int, number: int, *, worker: str = "") -> bool:
    """Pay one chunk of a run in one database transaction; False if it was already done.

    The last chunk to commit marks the run finished, exactly once: the chunk's `done_at` and
    the run's counters change in the same transaction as its claims and postings.
    """
    with transaction.atomic():
        claimed = AccrualChunk.objects.filter(
            run_id=run_id, number=number, done_at__isnull=True
        ).update(done_at=timezone.now(), worker=worker[:120])
        if not claimed:  # a redelivered task: the chunk committed before (or another run has it)
            return False
        chunk = AccrualChunk.objects.select_related("run").get(run_id=run_id, number=number)
        on = chunk.run.on
        multiplier = bonus_multiplier(on)
        rows = list(
            _unpaid(on, rates.min_paying_steps(on))
            .filter(member_id__gte=chunk.first_member_id, member_id__lte=chunk.last_member_id)
            .order_by("member_id")
            .values_list("member_id", "steps")
        )
        amounts = [(m, s, rates.paid_day_mileage(on, s, multiplier)) for m, s in rows]
        amounts = [a for a in amounts if a[2] > 0]
        # WALK-1 [interp] fair play: flagged member-days are held, not paid (a few set reads)
        reviews = fairplay.review_chunk(
            on, [(m, s) for m, s, _ in amounts], chunk.first_member_id, chunk.last_member_id
        )
        held = [a for a in amounts if a[0] in reviews and reviews[a[0]].held]
        if held:
            amounts = [a for a in amounts if not (a[0] in reviews and reviews[a[0]].held)]
            fairplay.hold(run_id, on, held, reviews, chunk.first_member_id, chunk.last_member_id)
        fresh = _claim(run_id, on, amounts)
        if fresh:
            budget = ledger.account("budget", programme=PROGRAMME)
            _post(budget, run_id, on, chunk.first_member_id, chunk.last_member_id)
            # held before, no longer flagged (e.g. a second source confirmed it): paid now
            fairplay.release(on, fresh, reviews, chunk.first_member_id, chunk.last_member_id)
        chunk.member_days = len(fresh)
        chunk.skipped = len(amounts) - len(fresh)
        chunk.held = len(held)
        chunk.mileage_total = sum(a[2] for a in amounts if a[0] in fresh)
        chunk.save(update_fields=["member_days", "skipped", "held", "mileage_total"])
        _count_done(chunk)
    return True


def _count_done(chunk: AccrualChunk) -> None:
    """Add the chunk to its run (row-locked, briefly: the last write of the chunk's transaction)."""
    run = AccrualRun.objects.select_for_update().get(pk=chunk.run_id)
    run.chunks_done += 1
    run.member_days += chunk.member_days
    run.skipped += chunk.skipped
    run.held += chunk.held
    run.mileage_total += chunk.mileage_total
    fields = ["chunks_done", "member_days", "skipped", "held", "mileage_total"]
    if run.chunks_done == run.chunks_total:
        run.finished_at = timezone.now()
        fields.append("finished_at")
        log.info(
            "walk accrual on=%s paid=%d skipped=%d held=%d mileage=%d chunks=%d",
            run.on,
            run.member_days,
            run.skipped,
            run.held,
            run.mileage_total,
            run.chunks_total,
        )
    run.save(update_fields=fields)


def _unpaid(on: dt.date, min_steps: int) -> QuerySet:
    """WALK-1 counted member-days of `on` that pay (at least `min_steps`) and are not paid yet,
    nor refused by the city after a fair-play hold (a pending hold is looked at again)."""
    paid = DayAccrual.objects.filter(member_id=OuterRef("member_id"), on=on)
    refused = HeldDay.objects.filter(
        member_id=OuterRef("member_id"), on=on, kind=HeldKind.DAY, status=HeldStatus.REFUSED
    )
    return (
        counted_days(on=on)
        .filter(steps__gte=min_steps)
        .exclude(Exists(paid))
        .exclude(Exists(refused))
    )


def _chunk_ranges(on: dt.date, min_steps: int, chunk: int) -> list[tuple[int, int]]:
    """(first, last) member ids of each `chunk` consecutive unpaid members of the day.

    One statement over one grouped read of the day (a window numbers the members in id order);
    a member paid meanwhile by a rival run is skipped later by `_claim`.
    """
    sql, params = _unpaid(on, min_steps).values("member_id").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT MIN(member_id), MAX(member_id) FROM ("
            "SELECT member_id, (ROW_NUMBER() OVER (ORDER BY member_id) - 1) / %s AS bucket "
            f"FROM ({sql}) AS day) AS numbered GROUP BY bucket ORDER BY bucket",
            [chunk, *params],
        )
        return [(first, last) for first, last in cur.fetchall()]


def _claim(run_id: int, on: dt.date, amounts: list[tuple[int, int, int]]) -> set[int]:
    """Insert the chunk's DayAccrual rows; returns the members this run claimed (not a rival)."""
    if not amounts:
        return set()
    table = connection.ops.quote_name(DayAccrual._meta.db_table)
    col = connection.ops.quote_name("on")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"INSERT INTO {table} (member_id, {col}, steps, mileage, run_id) "
                "SELECT m, %s, s, g, %s FROM unnest(%s::bigint[], %s::int[], %s::int[]) "
                f"AS t(m, s, g) ON CONFLICT (member_id, {col}) DO NOTHING RETURNING member_id",
                [
                    on,
                    run_id,
                    [a[0] for a in amounts],
                    [a[1] for a in amounts],
                    [a[2] for a in amounts],
                ],
            )
            return {r[0] for r in cur.fetchall()}
        claimed: set[int] = set()
        for m, s, g in amounts:
            cur.execute(
                f"INSERT INTO {table} (member_id, {col}, steps, mileage, run_id) "
                f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (member_id, {col}) DO NOTHING",
                [m, on, s, g, run_id],
            )
            if cur.rowcount:
                claimed.add(m)
        return claimed


def _post(budget: Account, run_id: int, on: dt.date, first: int, last: int) -> None:
    """LEDGER-1: one posting per member-day, budget → wallet, key walk:day:<member>:<date>.

    The awards are the DayAccrual rows this run just claimed for the chunk's members (a rival
    run's claims carry its own run id), handed to the ledger's set-based award path as a
    queryset: no row passes through Python twice, no query per row. Relaxed durability: the
    claims commit with the postings, so a chunk lost to a server crash is paid by a rerun.
    """
    key = Concat(
        Value(KEY_PREFIX), "member_id", Value(f":{on.isoformat()}"), output_field=CharField()
    )
    awards = DayAccrual.objects.filter(
        on=on, member_id__gte=first, member_id__lte=last, run_id=run_id
    ).values_list(key, "member_id", "mileage", "on")
    post_awards(budget, awards, memo=f"걷기 마일리지 {on:%Y-%m-%d}", relaxed_durability=True)


KEY_PREFIX = "walk:day:"
