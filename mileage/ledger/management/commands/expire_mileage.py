"""`manage.py expire_mileage [--today YYYY-MM-DD]`: LEDGER-2 reminders and expiry (daily job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mileage.ledger import expiry


class Command(BaseCommand):
    help = "마일리지 소멸 예정 안내와 유효기간 만료 처리 (LEDGER-2)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", default="", help="run as of this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError("--today 는 YYYY-MM-DD 형식이어야 합니다.") from error
        reminded = expiry.remind_expiring(today)
        expired = expiry.expire_lots(today)
        self.stdout.write(f"reminded {reminded} lots, expired {expired} lots")
