"""WALK-3: the daily accrual. A day's counted member-days (largest source, WALK-1) become mileage
postings budget → wallet, once per member-day (ledger key `walk:day:<member>:<date>`).

Set-based: one grouped read of the day, amounts from the rules engine per distinct step count,
`DayAccrual` rows inserted per chunk with ON CONFLICT DO NOTHING (a rerun or a parallel run
skips what is already paid), and the postings of the chunk written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from fractions import Fraction
from multiprocessing import get_context

from django.db import connection, connections, transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from mileage.ledger import services as ledger
from mileage.ledger.bulk import post_awards
from mileage.ledger.models import Account

from .. import rates
from ..models import AccrualRun, BonusDay, DayAccrual
from ..queries import counted_days

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


def accrue_day(
    on: dt.date, *, started_by: str = "scheduler", chunk: int = CHUNK, workers: int = 1
) -> AccrualRun:
    """Pay every unpaid member-day of `on`; safe to run again (pays nobody twice).

    `workers` > 1 pays the chunks in that many forked processes (a command or a benchmark; not
    inside a Celery prefork worker, whose processes may not fork). Chunks are disjoint ranges of
    members, so they share only the budget row, which each locks last and briefly.
    """
    if on >= timezone.localdate():
        raise ValueError("only finished days are accrued (the day must be over)")
    run = AccrualRun.objects.create(on=on, started_by=started_by[:60])
    multiplier = bonus_multiplier(on)
    budget = ledger.account("budget", programme=PROGRAMME)
    chunks = list(_unpaid_chunks(on, rates.min_paying_steps(on), chunk))
    if workers > 1 and len(chunks) > 1:
        connections.close_all()  # forked workers open their own connections
        with get_context("fork").Pool(workers) as pool:
            parts = pool.starmap(
                _worker,
                [(run.pk, on, multiplier, budget.pk, chunks[i::workers]) for i in range(workers)],
            )
    else:
        parts = [_accrue_chunks(run.pk, on, multiplier, budget, chunks)]
    run.member_days, run.skipped, run.mileage_total = (sum(p[i] for p in parts) for i in range(3))
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "member_days", "skipped", "mileage_total"])
    log.info(
        "walk accrual on=%s paid=%d skipped=%d mileage=%d",
        on,
        run.member_days,
        run.skipped,
        run.mileage_total,
    )
    return run


def _worker(
    run_id: int, on: dt.date, multiplier: Fraction, budget_id: int, chunks: list
) -> tuple[int, int, int]:
    # A forked child may inherit an open connection object (Django keeps connections per
    # context, and the parent's close_all() reaches only its own): drop it without closing, so
    # two children never talk over one socket, and open a fresh one.
    for conn in connections.all(initialized_only=True):
        conn.connection = None
    try:
        budget = Account.objects.get(pk=budget_id)
        return _accrue_chunks(run_id, on, multiplier, budget, chunks)
    finally:
        connections.close_all()


def _accrue_chunks(
    run_id: int,
    on: dt.date,
    multiplier: Fraction,
    budget: Account,
    chunks: list[list[tuple[int, int]]],
) -> tuple[int, int, int]:
    """Claim and pay chunk after chunk, one database transaction each; (paid, skipped, mileage)."""
    paid = skipped = total = 0
    for rows in chunks:
        amounts = [(m, s, rates.paid_day_mileage(on, s, multiplier)) for m, s in rows]
        amounts = [a for a in amounts if a[2] > 0]
        with transaction.atomic():
            fresh = _claim(run_id, on, amounts)
            if fresh:
                _post(budget, run_id, on, rows[0][0], rows[-1][0])
        paid += len(fresh)
        skipped += len(amounts) - len(fresh)
        total += sum(a[2] for a in amounts if a[0] in fresh)
    return paid, skipped, total


def _unpaid_chunks(on: dt.date, min_steps: int, chunk: int) -> Iterator[list[tuple[int, int]]]:
    """(member, counted steps) of the day not yet paid, by member id, `chunk` at a time.

    One grouped read of the day (a single pass over its rows, not one scan per chunk); a member
    paid meanwhile by a parallel run is skipped later by `_claim`.
    """
    paid = DayAccrual.objects.filter(member_id=OuterRef("member_id"), on=on)
    rows = list(
        counted_days(on=on)  # WALK-1
        .filter(steps__gte=min_steps)
        .exclude(Exists(paid))
        .order_by("member_id")
        .values_list("member_id", "steps")
    )
    for start in range(0, len(rows), chunk):
        yield rows[start : start + chunk]


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
