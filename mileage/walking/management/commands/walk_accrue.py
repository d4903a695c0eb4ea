"""`manage.py walk_accrue [--date YYYY-MM-DD]`: the daily walking accrual (WALK-3), idempotent.

Without a broker the chunks are paid here before it prints the totals; with CELERY_BROKER_URL
it enqueues one task per chunk and says so (the workers finish the run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mileage.walking.tasks import run_daily


class Command(BaseCommand):
    help = (
        "걸음 수를 걷기 마일리지로 적립합니다 (기본: 어제). 다시 실행해도 두 번 지급하지 않습니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="적립할 날짜 (YYYY-MM-DD), 기본은 어제")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("error: date: YYYY-MM-DD 형식이 아닙니다") from exc
        try:
            summary = run_daily(on, started_by="command")
        except ValueError as exc:
            raise CommandError(f"error: date: {exc}") from exc
        if not summary["finished"]:  # a broker is configured: the workers pay the chunks
            self.stdout.write(
                f"{summary['date']}: 적립을 {summary['chunks']:,}개 묶음으로 나누어 작업자에게 "
                f"보냈습니다 (적립 실행 {summary['run']}번), 챌린지 기부 {summary['challenge_pledges']}"
            )
            return
        self.stdout.write(
            f"{summary['date']}: {summary['member_days']:,}명·일 적립, "
            f"{summary['mileage']:,} 마일리지, 이미 적립 {summary['skipped']:,}, "
            f"늦게 받은 걸음 추가 적립 {summary['topup_member_days']:,}명·일 "
            f"({summary['topup_mileage']:,} 마일리지), 챌린지 완료 {summary['challenge_pledges']}"
        )
