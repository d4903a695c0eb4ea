"""Fair-play figures (WALK-1 [interp], issue #11): a script that prints, never a timed test.

    MILEAGE_ENV=development [DATABASE_URL=postgresql://…] \
        .venv/bin/python -m benchmarks.fairplay [--walkers 3000] [--days 35] [--judged 7] [--seed 11]

In a throw-away test database: `--walkers` synthetic walkers with known labels
(`benchmarks.fairplay_data`: honest ordinary walkers, marathon runners, hikers, new walkers with
no history, walkers with a second app; cheaters shaking a phone, typing steps in by hand,
sharing one device across accounts, spiking suddenly) get `--days` days of steps with their
extras through the feed's own upserts; the last `--judged` days are accrued by the real
accrual (`accrue_day`, in-process without a broker). Then a table: honest member-days held
(count, %), cheating member-days paid (count, %), and each flag's hits on honest and cheating
days. Seeded: the same arguments print the same table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import fairplay_data as data  # noqa: E402
from benchmarks.walking import _analyze, make_walkers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--walkers", type=int, default=3_000)
    parser.add_argument("--days", type=int, default=35, help="days of steps (history + judged)")
    parser.add_argument("--judged", type=int, default=7, help="last days accrued and counted")
    parser.add_argument("--cheats", type=float, default=0.1, help="share of cheating walkers")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    from django.db import connection

    from mileage.partners.models import Partner, PartnerKind
    from mileage.rules.walk.fairplay import LABELS
    from mileage.walking.models import HeldDay
    from mileage.walking.services.feed import upsert_extras, upsert_reports
    from mileage.walking.tasks import accrue_day

    old = setup_databases(verbosity=0, interactive=False)
    try:
        rng = random.Random(args.seed)
        today = timezone.localdate()
        days = [today - dt.timedelta(days=d) for d in range(args.days, 0, -1)]
        judged = days[-args.judged :]
        ws = data.walkers(args.walkers, days, args.judged, rng, args.cheats)
        phone = Partner.objects.create(
            slug="bench-phone", name="폰 앱", kind=PartnerKind.WALKING_APP
        )
        watch = Partner.objects.create(
            slug="bench-watch", name="워치 앱", kind=PartnerKind.WALKING_APP
        )
        ids = make_walkers(len(ws), "fair-")
        first, extras, second = data.rows(ids, ws)
        now = timezone.now()
        upsert_reports(phone.pk, first, now)
        upsert_extras(phone.pk, extras)
        upsert_reports(watch.pk, second, now)
        _analyze()
        print(f"database: {connection.vendor}; {len(ws):,} walkers, {len(first):,} member-days "
              f"({len(extras):,} with extras), seed {args.seed}; judged {judged[0]} … {judged[-1]}")  # fmt: skip
        started = time.perf_counter()
        held_total = 0
        for on in judged:
            held_total += accrue_day(on, started_by="bench-fairplay").held
        took = time.perf_counter() - started
        held = {(h.member_id, h.on): h.codes.split() for h in HeldDay.objects.all()}
        by_id = dict(zip(ids, ws, strict=True))
        honest_days = cheat_days = honest_held = cheat_paid = 0
        flags_honest: Counter[str] = Counter()
        flags_cheat: Counter[str] = Counter()
        per_kind: Counter[tuple[str, str]] = Counter()
        min_steps = 100  # a day under one mileage pays nothing and is never looked at
        for member, w in by_id.items():
            for on in judged:
                day = w.days.get(on)
                if day is None or day.steps < min_steps:
                    continue
                codes = held.get((member, on))
                cheat = on in w.cheat_days
                per_kind[(w.kind, "held" if codes else "paid")] += 1
                if cheat:
                    cheat_days += 1
                    cheat_paid += codes is None
                    flags_cheat.update(codes or ())
                else:
                    honest_days += 1
                    honest_held += codes is not None
                    flags_honest.update(codes or ())
        print(f"accrual of {len(judged)} days: {took:.1f} s, {held_total:,} member-days held; "
              f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")  # fmt: skip
        print(f"{'':30} {'count':>8} {'of':>8} {'%':>7}")
        print(f"{'honest member-days held':30} {honest_held:>8,} {honest_days:>8,} "
              f"{100 * honest_held / max(honest_days, 1):>6.2f}%")  # fmt: skip
        print(f"{'cheating member-days paid':30} {cheat_paid:>8,} {cheat_days:>8,} "
              f"{100 * cheat_paid / max(cheat_days, 1):>6.2f}%\n")  # fmt: skip
        print(f"{'flag':16} {'Korean':24} {'on honest days':>15} {'on cheating days':>17}")
        for code, label in LABELS.items():
            print(f"{code:16} {label:24} {flags_honest[code]:>15,} {flags_cheat[code]:>17,}")
        print(f"\n{'walker kind':14} {'label':8} {'paid':>8} {'held':>8}")
        for kind in (*data.HONEST, *data.CHEATS):
            label = "honest" if kind in data.HONEST else "cheat"
            print(
                f"{kind:14} {label:8} {per_kind[(kind, 'paid')]:>8,} {per_kind[(kind, 'held')]:>8,}"
            )
        print("\n(cheating walkers' days before their first cheating day count as honest days)")
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
