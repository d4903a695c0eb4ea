"""Monthly partitions of the walking step reports (issue #12), PostgreSQL only.

`walking_stepreport` (StepReport, ≈ 700 million member-days a year) is PARTITION BY RANGE ("on")
with one partition per month, `walking_stepreport_pYYYY_MM`, and `walking_stepreport_default`
for any day no month partition covers (so an insert never fails). Migration 0007 converted the
table; `ensure_partitions` (the `manage.py ensure_partitions` command and the daily beat task
`walking.ensure_partitions`) creates the coming months' partitions ahead of time. Idempotent; on
SQLite nothing happens.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from mileage.core import partitions

TABLE = "walking_stepreport"
EXTRA_TABLE = "walking_stepextra"  # StepExtra (fair play, migration 0009), same months
COLUMN = "on"
PRIMARY_KEY = ("member_id", "on", "source_id")
INDEXES = {"walking_step_on_member": ("on", "member_id")}  # StepReport.Meta.indexes
MONTHS_AHEAD = 3  # operational, not a programme rule: partitions exist this many months early


def ensure_partitions(today: dt.date | None = None, *, ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the missing month partitions from this month to `ahead` months on (and DEFAULT);
    returns the names created (empty when all exist, or on SQLite)."""
    if ahead < 0:
        raise ValueError("ahead: 0 이상이어야 합니다")
    on = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cur:
        last = partitions.add_months(on, ahead)
        made = partitions.ensure_months(cur, TABLE, COLUMN, on, last)
        return made + partitions.ensure_months(cur, EXTRA_TABLE, COLUMN, on, last)


def partition_names() -> list[str]:
    """The partitions of the step reports now (sorted), or [] if the table is not partitioned."""
    with connection.cursor() as cur:
        if not partitions.is_partitioned(cur, TABLE):
            return []
        return sorted(partitions.existing(cur, TABLE))
