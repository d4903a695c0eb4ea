"""Send ECO-5 window reminders (run daily): `manage.py eco_reminders [--on YYYY-MM-DD]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from mileage.readings.services.reminders import send_window_reminders


class Command(BaseCommand):
    help = "에코마일리지 연간 실적 등록 기간 안내(시작 전, 마감 전)를 보냅니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_window_reminders(options["on"] or timezone.localdate())
        self.stdout.write(f"reminders sent: {sent}")
