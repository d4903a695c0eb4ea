"""`manage.py walk_campaign_rewards [--date YYYY-MM-DD]`: the walking campaigns' rewards of a day
(default yesterday), idempotent (a reward is paid once per campaign, member and day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mileage.walking.services.campaigns import reward_campaigns


class Command(BaseCommand):
    help = "걷기 캠페인 참여 보상을 지급합니다 (기본: 어제). 다시 실행해도 두 번 지급하지 않습니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="캠페인 날짜 (YYYY-MM-DD), 기본은 어제")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate() - dt.timedelta(days=1)
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("error: date: YYYY-MM-DD 형식이 아닙니다") from exc
        if on >= timezone.localdate():
            raise CommandError("error: date: 끝난 날만 보상할 수 있습니다")
        paid = reward_campaigns(on)
        total = sum(paid.values())
        self.stdout.write(f"{on.isoformat()}: 캠페인 {len(paid)}개, 보상 {total:,}건 지급")
