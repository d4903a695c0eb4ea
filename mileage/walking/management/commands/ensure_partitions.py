"""`manage.py ensure_partitions [--months N] [--date YYYY-MM-DD]`: create the walking step
reports' month partitions from this month to N months ahead (default 3), PostgreSQL only;
idempotent (the daily beat task `walking.ensure_partitions` does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mileage.walking.partitions import MONTHS_AHEAD, ensure_partitions, partition_names


class Command(BaseCommand):
    help = (
        "걸음 기록 테이블의 다음 달 파티션을 미리 만듭니다 (PostgreSQL). 다시 실행해도 안전합니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months", type=int, default=MONTHS_AHEAD, help="이번 달부터 몇 달 뒤까지 (기본 3)"
        )
        parser.add_argument("--date", help="기준 날짜 (YYYY-MM-DD), 기본은 오늘")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("error: date: YYYY-MM-DD 형식이 아닙니다") from exc
        if options["months"] < 0 or options["months"] > 120:
            raise CommandError("error: months: 0부터 120 사이여야 합니다")
        created = ensure_partitions(on, ahead=options["months"])
        names = partition_names()
        if not names:
            self.stdout.write("파티션을 쓰지 않는 데이터베이스입니다 (PostgreSQL만 해당).")
            return
        self.stdout.write(
            f"새로 만든 파티션 {len(created)}개{': ' + ', '.join(created) if created else ''}; "
            f"모두 {len(names)}개"
        )
