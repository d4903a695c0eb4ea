"""Demo held late totals (issue #11, WALK-1/WALK-3 [interp]), run after the fair-play seed: a
citizen's paid day three days ago is re-sent late as a shaken phone's larger total, and the
top-up pass holds it instead of paying, so /walking/ shows "늦게 받은 걸음 …보 추가 적립 …
마일리지 보류" with 이의 신청, and /walking/city/fairplay/ lists it marked 늦게 받은 걸음 with
지급 / 지급 안 함. Idempotent: a member-day with a late-total hold already is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from mileage.accounts.models import User
from mileage.partners.models import Partner, PartnerKind
from mileage.walking import rates
from mileage.walking.models import DayAccrual, HeldDay, HeldKind
from mileage.walking.services.accrual import bonus_multiplier
from mileage.walking.services.feed import StepRow, upsert_extras, upsert_reports
from mileage.walking.services.topups import top_up_late_days

SHAKEN = [0] * 6 + [15_000] * 4 + [500] * 14  # 67,000: four hours no one walks


def seed(out: TextIO) -> None:
    on = timezone.localdate() - dt.timedelta(days=3)
    app = Partner.objects.filter(slug="georeumon", kind=PartnerKind.WALKING_APP).first()
    names = [f"citizen-{n:03d}" for n in range(1, 21)]
    paid = {
        m: (s, g)
        for m, s, g in DayAccrual.objects.filter(on=on, member__username__in=names).values_list(
            "member_id", "steps", "mileage"
        )
    }
    if HeldDay.objects.filter(on=on, kind=HeldKind.TOPUP, member_id__in=paid).exists():
        out.write(f"topupholds: {on} already has a held late total\n")
        return
    late = rates.paid_day_mileage(on, sum(SHAKEN), bonus_multiplier(on))  # what it would pay
    member = next(
        (u for u in User.objects.filter(username__in=names).order_by("username")
         if u.pk in paid and paid[u.pk][1] < late and paid[u.pk][0] < sum(SHAKEN)),
        None,
    )  # fmt: skip
    if app is None or member is None:
        out.write("topupholds: skipped (needs the demo walking seed's paid days)\n")
        return
    upsert_reports(app.pk, [(member.pk, on, sum(SHAKEN))], timezone.now())
    upsert_extras(app.pk, [(member.pk, StepRow("demo", on, sum(SHAKEN), hourly=tuple(SHAKEN)))])
    run = top_up_late_days(started_by="demo")
    out.write(f"topupholds: {member.username} {on} late total held ({run.held} held)\n")
