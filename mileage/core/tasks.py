"""Core jobs (Celery; eager in the embedded default): delivering the outbox's pending messages."""

from __future__ import annotations

from celery import shared_task

from . import notify

PASS_LIMIT = 20_000  # messages per task; a longer queue is finished by the task it queues next


@shared_task(acks_late=True)
def deliver_notices(limit: int = PASS_LIMIT) -> dict[str, int]:
    """Deliver pending outbox messages (beat runs it every minute; paid chunks ask for it).

    Safe to run twice or side by side: rows are taken with SKIP LOCKED and marked in the same
    transaction. If it stopped at `limit`, it queues itself again for the rest."""
    counts = notify.deliver_pending(limit=limit)
    # deferred (over a rate limit) are left for beat's next minute, not chased in a loop
    if sum(counts.values()) - counts["deferred"] >= limit:
        notify.deliver_soon()
    return counts
