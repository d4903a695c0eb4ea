"""`manage.py deliver_notices`: deliver the outbox's pending messages now (what beat's minute
job does; useful in the embedded default, which runs no scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mileage.core import notify


class Command(BaseCommand):
    help = "대기 중인 알림 발송 (deliver pending outbox messages)"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = notify.deliver_pending()
        self.stdout.write(
            f"sent {counts['sent']}, to retry {counts['retry']}, dead {counts['dead']}, "
            f"skipped {counts['skipped']}, deferred {counts['deferred']}"
        )
