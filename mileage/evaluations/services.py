"""Evaluation runs (ECO-5..12, LEDGER-1): start, evaluate in chunks, preview, sign off, pay.

    run = start_run(manager, window_from, window_to)   # one live run per programme and window
    run_evaluation(run)                                # chunk by chunk; resumable
    sign_off(run, manager)                             # after the dry-run preview
    pay_due(run, today)                                # on/after the ECO-12 payment date

These run the chunks one after another in this process (the management command, tests); the
Celery tasks in `tasks.py` run the same per-chunk steps one task per chunk on the workers.

Each chunk is evaluated in one database transaction (a crash leaves it to be redone, with the
same answer) and paid in one, together with its members' award-paid notices (the transactional
outbox: the ledger keys `eco-car:vehicle:<id>:cycle:<k>` pay nobody twice, the notice keys tell
nobody twice, and a crash loses both or neither). After each chunk, `finish_evaluation` /
`finish_payment` mark the run done when no chunk is left, exactly once (the run row's lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from mileage.core import audit
from mileage.ledger import bulk
from mileage.ledger import notify as notices
from mileage.ledger import services as ledger

from . import programmes, store
from .errors import (
    BadWindow,
    CancelReasonMissing,
    RunAlreadyExists,
    RunCancelled,
    RunNotCancellable,
    RunNotReady,
    RunNotSignedOff,
    RunOverlaps,
    WindowNotEnded,
)
from .models import EvaluationRun, Programme, Result, RunChunk, RunStatus

Progress = Callable[[int, int], None]


def start_run(
    manager: Any,
    window_from: dt.date,
    window_to: dt.date,
    *,
    chunk_size: int = 5000,
    programme: str = Programme.ECO_CAR,
    today: dt.date | None = None,
    schedule_key: str | None = None,
) -> EvaluationRun:
    """ECO-12: a run over closing readings uploaded in [window_from, window_to].

    `programme` names a `programmes.RunProgramme` (eco-car, or one an app registers). Safe runs
    (issue #14): the window must have ended (window_to before today, Seoul time); a live (not
    cancelled) run of the programme whose window overlaps is refused, naming it (the check locks
    the programme's live runs, so two starts are ordered), and `schedule_key` (the scheduler's)
    is unique over all runs, cancelled ones too: a job run twice creates one run.
    The start is audited (`run.start`)."""
    if window_from > window_to:
        raise BadWindow()
    today = today or timezone.localdate()
    if window_to >= today:
        raise WindowNotEnded()
    spec = programmes.get(programme)
    try:
        with transaction.atomic():
            _refuse_overlap(spec.code, window_from, window_to)
            run = EvaluationRun.objects.create(
                programme=spec.code,
                window_from=window_from,
                window_to=window_to,
                chunk_size=chunk_size,
                started_by=manager,
                schedule_key=schedule_key,
            )
            ids = spec.participation_ids(window_from, window_to)
            chunks = [
                RunChunk(
                    run=run,
                    number=n,
                    first_vehicle_id=ids[i],
                    last_vehicle_id=ids[min(i + chunk_size, len(ids)) - 1],
                )
                for n, i in enumerate(range(0, len(ids), chunk_size))
            ]
            RunChunk.objects.bulk_create(chunks)
            run.chunks_total = len(chunks)
            run.save(update_fields=["chunks_total"])
            audit.record(
                manager,
                "run.start",
                run,
                note=describe(run),
                data={"scheduled": bool(schedule_key)},
            )
    except IntegrityError:
        raise RunAlreadyExists() from None
    return run


def describe(run: EvaluationRun) -> str:
    """A run as people name it: "평가 #12 (에코마일리지 승용차 2026. 9. 1.~2026. 10. 31.)"."""
    name = programme_name(run.programme)
    return f"평가 #{run.pk} ({name} {_day(run.window_from)}~{_day(run.window_to)})"


def _day(on: dt.date) -> str:
    return f"{on.year}. {on.month}. {on.day}."


def programme_name(code: str) -> str:
    spec = programmes.registry().get(code)
    return spec.name if spec else code


def _refuse_overlap(programme: str, window_from: dt.date, window_to: dt.date) -> None:
    """Refuse a run whose window overlaps a live run of the same programme (RunOverlaps naming
    it). Live runs of the programme are locked first, so two starts at once are ordered; the
    first run of a programme is guarded by the one-live-run-per-window key."""
    live = EvaluationRun.objects.filter(programme=programme).exclude(status=RunStatus.CANCELLED)
    list(live.select_for_update().values_list("pk", flat=True))
    other = (
        live.filter(window_from__lte=window_to, window_to__gte=window_from).order_by("pk").first()
    )
    if other is not None:
        raise RunOverlaps(
            f"같은 사업의 다른 평가와 기간이 겹칩니다: {describe(other)}. 이미 있는 평가를 "
            "취소한 뒤에 다시 시작하세요.",
            detail={"run": other.pk},
        )


def cancel(run: EvaluationRun, manager: Any, reason: str) -> EvaluationRun:
    """Cancel a run before sign-off (issue #14): with a reason, audited (`run.cancel`). Its
    results are never paid (pay refuses a cancelled run) nor shown to citizens (`PUBLISHED`),
    and chunk tasks still queued skip it. Cancelling twice changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise CancelReasonMissing()
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.CANCELLED:
            return run
        if run.status not in (RunStatus.EVALUATING, RunStatus.EVALUATED):
            raise RunNotCancellable()
        before = run.status
        run.status = RunStatus.CANCELLED
        run.note = reason[:200]
        run.save(update_fields=["status", "note"])
        audit.record(
            manager,
            "run.cancel",
            run,
            reason=reason[:30],
            note=f"{describe(run)} 취소 사유: {reason}",
            data={"from": before},
        )
    return run


def discard_run(run: EvaluationRun) -> None:
    """Delete a run that was created but never handed to a worker (nothing evaluated yet)."""
    with transaction.atomic():
        if not Result.objects.filter(run=run).exists():
            EvaluationRun.objects.filter(pk=run.pk).delete()  # its chunks go with it


def evaluate_chunk(run: EvaluationRun, number: int) -> int:
    """Evaluate one chunk atomically (skipped when done); returns its number of results."""
    with transaction.atomic():
        chunk = RunChunk.objects.select_for_update().get(run=run, number=number)
        if chunk.evaluated_at is not None:
            return chunk.results
        spec = programmes.get(run.programme)
        rows = spec.evaluate_chunk(run, chunk.first_vehicle_id, chunk.last_vehicle_id)
        store.write_results(run.pk, number, rows)
        chunk.evaluated_at = timezone.now()
        chunk.results = len(rows)
        chunk.save(update_fields=["evaluated_at", "results"])
        return chunk.results


def chunks_to_evaluate(run: EvaluationRun) -> list[int]:
    return list(run.chunks.filter(evaluated_at__isnull=True).values_list("number", flat=True))


def finish_evaluation(run: EvaluationRun) -> EvaluationRun:
    """Mark the run evaluated if no chunk is left: once, whoever finishes last.

    Called after each chunk's commit. The run row's lock orders the callers; the last chunk to
    commit sees every chunk done (its own included), a later or repeated call sees the run
    evaluated already and changes nothing."""
    return _finish(run, RunStatus.EVALUATING, "evaluated_at", RunStatus.EVALUATED)


def _finish(run: EvaluationRun, current: str, stamp: str, becomes: str) -> EvaluationRun:
    """Under the run row's lock: a run still `current` whose chunks all carry `stamp` becomes
    `becomes`, with the run's own `stamp` set now (`finish_evaluation`, `finish_payment`)."""
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        if run.status == current and not run.chunks.filter(**{f"{stamp}__isnull": True}).exists():
            run.status = becomes
            setattr(run, stamp, timezone.now())
            run.save(update_fields=["status", stamp])
    return run


def run_evaluation(run: EvaluationRun, progress: Progress | None = None) -> EvaluationRun:
    """Evaluate every chunk not yet done (resumable), then mark the run evaluated."""
    todo = chunks_to_evaluate(run)
    done = run.chunks_total - len(todo)
    for number in todo:
        evaluate_chunk(run, number)
        done += 1
        if progress:
            progress(done, run.chunks_total)
    return finish_evaluation(run)


def sign_off(run: EvaluationRun, manager: Any) -> EvaluationRun:
    """The city manager approves the previewed run; only then can it pay."""
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        if run.status in (RunStatus.SIGNED_OFF, RunStatus.PAID):
            return run
        if run.status == RunStatus.CANCELLED:
            raise RunCancelled()
        if run.status != RunStatus.EVALUATED:
            raise RunNotReady()
        run.status = RunStatus.SIGNED_OFF
        run.signed_off_by = manager
        run.signed_off_at = timezone.now()
        run.save(update_fields=["status", "signed_off_by", "signed_off_at"])
        summary = totals(run)
        audit.record(
            manager,
            "run.sign_off",
            run,
            note=f"{describe(run)} 지급 대상 {summary['awarded']:,}건, 마일리지 "
            f"{summary['mileage']:,}",
            data={"awarded": summary["awarded"], "mileage": summary["mileage"]},
        )
    return run


def payment_summary(run: EvaluationRun, today: dt.date) -> dict[str, int]:
    """What a payment of the run did by `today`: awards posted (N건 지급) and awards whose
    ECO-12 payment date has not come yet (M건은 지급일 전)."""
    awards = Result.objects.filter(run=run, mileage__gt=0)
    return {
        "paid": awards.filter(payment_on__lte=today).count(),
        "not_due": awards.filter(payment_on__gt=today).count(),
    }


def payment_message(summary: dict[str, int]) -> str:
    return f"{summary['paid']:,}건 지급, {summary['not_due']:,}건은 지급일 전"


def record_payment(run: EvaluationRun, manager: Any, today: dt.date) -> str:
    """Audit a payment request (`run.pay`) with what it covers; returns the Korean summary."""
    summary = payment_summary(run, today)
    message = payment_message(summary)
    audit.record(
        manager,
        "run.pay",
        run,
        note=f"{describe(run)} {message}",
        data={**summary, "today": today.isoformat()},
    )
    return message


def check_payable(run: EvaluationRun) -> None:
    """ECO-12: only a signed-off run pays (raises the Korean "not signed off" error)."""
    if run.status not in (RunStatus.SIGNED_OFF, RunStatus.PAID):
        raise RunNotSignedOff()


def chunks_to_pay(run: EvaluationRun) -> list[int]:
    return list(run.chunks.filter(paid_at__isnull=True).values_list("number", flat=True))


def budget_of(run: EvaluationRun) -> Any:
    return ledger.account("budget", programme=run.programme)


def pay_due(
    run: EvaluationRun,
    today: dt.date | None = None,
    progress: Progress | None = None,
    *,
    notify: bool = True,
) -> int:
    """ECO-12: post every award whose payment date has come; returns how many were posted now.

    `notify=False` leaves the award-paid notices out (only for measuring the postings alone)."""
    today = today or timezone.localdate()
    run.refresh_from_db()
    check_payable(run)
    budget = budget_of(run)
    posted = 0
    numbers = chunks_to_pay(run)
    for i, number in enumerate(numbers, 1):
        posted += pay_chunk(run, number, budget, today, notify=notify)
        if progress:
            progress(i, len(numbers))
    finish_payment(run)
    return posted


def pay_chunk(
    run: EvaluationRun, number: int, budget: Any, today: dt.date, *, notify: bool = True
) -> int:
    """Pay one chunk's due awards and write their notices, in one transaction (skipped when the
    chunk is paid); returns how many awards were posted now."""
    with transaction.atomic():
        chunk = RunChunk.objects.select_for_update().get(run=run, number=number)
        if chunk.paid_at is not None:
            return 0
        due = Result.objects.filter(run=run, chunk=number, mileage__gt=0)
        if notify:  # first, so the shared budget row is locked only at the very end
            _write_notices(run, due.filter(payment_on__lte=today))
        # Set-based: the chunk's due awards go from the results table into the ledger in SQL.
        posted = bulk.post_awards(
            budget,
            due.filter(payment_on__lte=today).values_list(
                "key", "owner_id", "mileage", "payment_on"
            ),
            memo=f"{describe(run)} 지급",
            relaxed_durability=True,  # the chunk's paid mark commits with it: a rerun pays
        )
        if not due.filter(payment_on__gt=today).exists():
            chunk.paid_at = timezone.now()
            chunk.save(update_fields=["paid_at"])
    return posted


def finish_payment(run: EvaluationRun) -> EvaluationRun:
    """Mark a signed-off run paid if every chunk is paid: once, whoever finishes last (as
    `finish_evaluation`)."""
    return _finish(run, RunStatus.SIGNED_OFF, "paid_at", RunStatus.PAID)


def _write_notices(run: EvaluationRun, paid: Any) -> int:
    """LEDGER-2: the award-paid notice of each of these results, set-based, once per award key;
    the memo names the run's programme (에코마일리지 승용차, 계절관리제 특별포인트, 시범사업)."""
    name = programme_name(run.programme)
    if run.programme == Programme.ECO_SEASONAL:  # the cycle is the season's last year
        memo = Concat(Value(f"{name} "), Cast("cycle", CharField()), Value("년 시즌"))
    else:
        memo = Concat(Value(f"{name} "), Cast("cycle", CharField()), Value("주기 평가"))
    return notices.awards_paid(
        paid, key="key", user="owner_id", amount="mileage", paid_on="payment_on", memo=memo
    )


def notify_paid(run: EvaluationRun, number: int, today: dt.date) -> int:
    """LEDGER-2: write the notices of a chunk's paid awards (once per award key); `pay_chunk`
    does this itself, in the payment's transaction. Returns how many were new."""
    with transaction.atomic():
        return _write_notices(
            run,
            Result.objects.filter(run=run, chunk=number, mileage__gt=0, payment_on__lte=today),
        )


def totals(run: EvaluationRun, *, district_code: str | None = None) -> dict[str, Any]:
    """Dry-run preview and report: totals, by district and by tier (kind + award)."""
    results = run.results.all()
    if district_code:
        results = results.filter(district_code=district_code)
    overall = results.aggregate(
        cycles=Count("id"),
        awarded=Count("id", filter=Q(status="awarded")),
        mileage=Sum("mileage"),
    )
    by_district = list(
        results.values("district_code")
        .annotate(
            cycles=Count("id"),
            awarded=Count("id", filter=Q(status="awarded")),
            mileage=Sum("mileage"),
        )
        .order_by("district_code")
    )
    by_tier = list(
        results.filter(status="awarded")
        .values("kind", "tier")
        .annotate(cycles=Count("id"), mileage=Sum("mileage"))
        .order_by("kind", "tier")
    )
    by_status = dict(results.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "cycles": overall["cycles"] or 0,
        "awarded": overall["awarded"] or 0,
        "mileage": overall["mileage"] or 0,
        "by_district": by_district,
        "by_tier": by_tier,
        "by_status": by_status,
    }


def progress_of(run: EvaluationRun) -> dict[str, int]:
    chunks = run.chunks.aggregate(
        evaluated=Count("id", filter=Q(evaluated_at__isnull=False)),
        paid=Count("id", filter=Q(paid_at__isnull=False)),
    )
    total = run.chunks_total or 1
    return {
        "total": run.chunks_total,
        "evaluated": chunks["evaluated"],
        "paid": chunks["paid"],
        "percent": round(100 * chunks["evaluated"] / total) if run.chunks_total else 100,
    }
