"""`manage.py evaluate ...`: start, resume, preview, sign off and pay evaluation runs.

manage.py evaluate start 2025-05-01 2025-06-30 --by city-manager
manage.py evaluate resume <run>          # continue a run that stopped (crash, deploy)
manage.py evaluate preview <run>         # dry-run totals by district and tier
manage.py evaluate sign-off <run> --by city-manager
manage.py evaluate pay <run> [--today 2025-07-20]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mileage.accounts.models import User
from mileage.core.errors import DomainError
from mileage.evaluations import services
from mileage.evaluations.models import EvaluationRun


class Command(BaseCommand):
    help = "에코마일리지 평가 실행 (evaluation runs, ECO-12)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["start", "resume", "preview", "sign-off", "pay"])
        parser.add_argument("rest", nargs="*")
        parser.add_argument("--by", default="", help="username of the city manager")
        parser.add_argument("--today", default="", help="payment day (YYYY-MM-DD)")
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument("--programme", default="eco-car", help="eco-car, eco-seasonal, …")

    def _bar(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            self.stdout.write("")

    def handle(self, *args: Any, **options: Any) -> None:
        action, rest = options["action"], options["rest"]
        try:
            if action == "start":
                window_from, window_to = (dt.date.fromisoformat(d) for d in rest[:2])
                run = services.start_run(
                    self._user(options["by"]),
                    window_from,
                    window_to,
                    chunk_size=options["chunk_size"],
                    programme=options["programme"],
                )
                self.stdout.write(f"run {run.pk}: {run.chunks_total} chunks")
                run = services.run_evaluation(run, progress=self._bar)
                self._preview(run)
                return
            run = EvaluationRun.objects.get(pk=int(rest[0]))
            if action == "resume":
                self._preview(services.run_evaluation(run, progress=self._bar))
            elif action == "preview":
                self._preview(run)
            elif action == "sign-off":
                services.sign_off(run, self._user(options["by"]))
                self.stdout.write(f"run {run.pk} signed off")
            elif action == "pay":
                today = dt.date.fromisoformat(options["today"]) if options["today"] else None
                paid = services.pay_due(run, today, progress=self._bar)
                self.stdout.write(f"run {run.pk}: {paid} awards paid")
        except (DomainError, EvaluationRun.DoesNotExist, ValueError, IndexError) as error:
            raise CommandError(str(error)) from error

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"사용자를 찾을 수 없습니다: {username!r} (--by)") from None

    def _preview(self, run: EvaluationRun) -> None:
        t = services.totals(run)
        self.stdout.write(
            f"{run} [{run.get_status_display()}]: {t['cycles']:,} cycles, "
            f"{t['awarded']:,} awarded, {t['mileage']:,} mileage"
        )
        for row in t["by_tier"]:
            self.stdout.write(
                f"  {row['kind']:<12} {row['tier']:>7,}: {row['cycles']:>8,} cycles {row['mileage']:>14,}"
            )
