"""Issue #12: the step reports (walking_stepreport, ≈ 700 million member-days a year) become a
PostgreSQL table PARTITION BY RANGE ("on") with one partition per month — from 12 months before
the month of migrating (or the oldest report's month) to 3 months after (or the newest's) — and
a DEFAULT partition, every row moved, the same primary key (member, on, source: it contains the
partition column), check constraints and the (on, member) index. `ensure_partitions` (command,
daily beat task) then keeps the coming months ahead. On SQLite nothing changes.

Converting copies the whole table under an exclusive lock, inside the migration's transaction:
on a large installed table plan a maintenance window (see docs/operations.md "Scale plan").
The SQL is `mileage.core.partitions` (keep its signatures: this migration calls them).
"""

from django.db import migrations
from django.utils import timezone

TABLE = "walking_stepreport"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from mileage.core import partitions

    with schema_editor.connection.cursor() as cur:
        partitions.partition_by_month(
            cur,
            TABLE,
            "on",
            primary_key=("member_id", "on", "source_id"),
            indexes={"walking_step_on_member": ("on", "member_id")},
            today=timezone.localdate(),
            back=12,
            ahead=3,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from mileage.core import partitions

    with schema_editor.connection.cursor() as cur:
        partitions.unpartition(cur, TABLE)


class Migration(migrations.Migration):
    dependencies = [("walking", "0007_link_consent")]

    operations = [migrations.RunPython(forwards, backwards)]
