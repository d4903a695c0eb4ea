"""Daily: erase the reading photos of accounts closed longer ago than the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mileage.members.services.purge import purge_closed_accounts


class Command(BaseCommand):
    help = "탈퇴 회원의 보관 기간이 지난 주행거리 사진을 지웁니다."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_closed_accounts()
        self.stdout.write(f"erased {erased} photos of closed accounts\n")
