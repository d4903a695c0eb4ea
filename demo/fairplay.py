"""Demo fair play (부정 걸음 방지, issue #11), run after the walking seed: a few days before the
walking seed's eight weeks get steps with extras (a shaken phone's hours, hand-entered steps, one
device for three accounts, a day over the hold cap, an honest marathon) and are accrued, so
citizen-001 sees a held day with its reason on /walking/ and the city sees several on
/walking/city/fairplay/ (one with an appeal). Idempotent: a day already accrued is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import User
from mileage.partners.models import Partner, PartnerKind
from mileage.walking.models import AccrualRun, HeldDay
from mileage.walking.services import fairplay
from mileage.walking.services.feed import StepRow, device_hash, upsert_extras, upsert_reports
from mileage.walking.tasks import accrue_day

from .walking import DAYS

SHAKEN = [0] * 7 + [16_500] * 4 + [300] * 13  # 69,900: four hours no one walks
MARATHON = [0] * 7 + [10_800] * 4 + [600] * 13  # 51,000: an honest marathon, paid


def seed(out: TextIO) -> None:
    on = timezone.localdate() - dt.timedelta(days=DAYS + 3)
    app = Partner.objects.filter(slug="georeumon", kind=PartnerKind.WALKING_APP).first()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=[f"citizen-{n:03d}" for n in range(1, 8)])
    }
    if app is None or len(people) < 7:
        out.write("fairplay: skipped (needs the demo walking apps and citizens)\n")
        return
    if AccrualRun.objects.filter(on=on).exists():
        out.write(f"fairplay: {on} already accrued\n")
        return
    shared = device_hash("demo-shared-phone")
    days: list[tuple[str, int, dict]] = [
        ("citizen-001", sum(SHAKEN), {"hourly": tuple(SHAKEN)}),
        ("citizen-002", 9_200, {"device": shared}),
        ("citizen-003", 8_700, {"device": shared}),
        ("citizen-004", 10_400, {"device": shared}),
        ("citizen-005", 12_000, {"manual_steps": 8_000}),
        ("citizen-006", 85_000, {}),
        ("citizen-007", sum(MARATHON), {"hourly": tuple(MARATHON)}),
    ]
    rows = [(people[name].pk, on, total) for name, total, _ in days]
    upsert_reports(app.pk, rows, timezone.now())
    upsert_extras(
        app.pk,
        [(people[name].pk, StepRow(name, on, total, **extra)) for name, total, extra in days],
    )
    run = accrue_day(on, started_by="demo")
    appealed = HeldDay.objects.filter(member=people["citizen-005"], on=on).first()
    if appealed is not None and appealed.appealed_at is None:
        fairplay.appeal(
            people["citizen-005"], appealed.pk, "등산 앱이 꺼져 있어서 내려와서 직접 입력했습니다."
        )
    out.write(f"fairplay: {on} paid {run.member_days}, held {run.held}\n")
