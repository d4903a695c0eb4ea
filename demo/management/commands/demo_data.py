"""`manage.py demo_data`: a realistic demo world, idempotent (run it twice, nothing is doubled).

Runs `seed(out)` from each `demo.<app>` module that exists, in the contract's order, inside
one transaction, then prints the login details. Refuses to run outside development mode
(MILEAGE_ENV=development): the demo's shared password must never reach a real database. The
command lives in the `demo` app (outside the product package `mileage`; see demo/__init__.py).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import DEMO_PASSWORD, login_lines

SEED_ORDER = [
    "accounts",
    "partners",
    "vehicles",
    "readings",
    "ledger",
    "evaluations",
    "walking",
    "challenges",
    "fairplay",
    "topupholds",
    "campaigns",
    "community",
    "pilot",
]


def seed_modules() -> list[Any]:
    modules = []
    for app in SEED_ORDER:
        name = f"demo.{app}"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


class Command(BaseCommand):
    help = "서울 마일리지 데모 데이터를 만듭니다 (여러 번 실행해도 중복 생성하지 않음)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEVELOPMENT", False):
            raise CommandError(
                "데모 데이터는 개발 모드(MILEAGE_ENV=development)에서만 만들 수 있습니다. "
                "운영 데이터베이스에는 데모 계정과 공용 비밀번호를 만들지 않습니다."
            )
        with transaction.atomic():
            for module in seed_modules():
                module.seed(self.stdout)
        self.stdout.write("\n=== 데모 계정 (Demo logins) ===")
        self.stdout.write(f"비밀번호 (password, all demo accounts): {DEMO_PASSWORD}")
        for line in login_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("  partner-<slug>               협력기관 담당자 (위 partners 목록)")
