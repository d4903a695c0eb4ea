"""Fair play (WALK-1 [interp], issue #11): the side table of step extras (hand-entered steps,
hourly series, device hash), partitioned by month on PostgreSQL like the step reports, and the
held days of the accrual."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


EXTRA = "walking_stepextra"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.utils import timezone

    from mileage.core import partitions

    with schema_editor.connection.cursor() as cur:
        # CreateModel defers its indexes and foreign keys to the migration's end; make them now,
        # so the partitioning moves them instead of meeting them again afterwards.
        for sql in schema_editor.deferred_sql:
            cur.execute(str(sql))
        schema_editor.deferred_sql.clear()
        partitions.partition_by_month(
            cur,
            EXTRA,
            "on",
            primary_key=("member_id", "on", "source_id"),
            indexes={
                "walking_extra_on_member": ("on", "member_id"),
                "walking_extra_on_device": ("on", "device"),
            },
            today=timezone.localdate(),
            back=12,
            ahead=3,
        )


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from mileage.core import partitions

    with schema_editor.connection.cursor() as cur:
        partitions.unpartition(cur, EXTRA)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("walking", "0009_challenges_topups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HeldDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("on", models.DateField()),
                ("steps", models.PositiveIntegerField()),
                ("mileage", models.PositiveIntegerField()),
                ("flags", models.JSONField(default=list)),
                ("codes", models.CharField(blank=True, max_length=120)),
                (
                    "status",
                    models.CharField(
                        choices=[("held", "보류"), ("paid", "지급"), ("refused", "지급 안 함")],
                        default="held",
                        max_length=8,
                    ),
                ),
                ("held_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True)),
                ("appeal", models.TextField(blank=True)),
                ("appealed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="held_walk_days",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="walking.accrualrun",
                    ),
                ),
            ],
            options={
                "ordering": ["-on", "member_id"],
                "indexes": [models.Index(fields=["status", "on"], name="walking_held_status_on")],
                "constraints": [
                    models.UniqueConstraint(fields=("member", "on"), name="walking_held_day_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="StepExtra",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "member_id",
                        "on",
                        "source_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("on", models.DateField()),
                ("manual_steps", models.PositiveIntegerField(default=0)),
                ("hourly", models.JSONField(blank=True, null=True)),
                ("device", models.CharField(blank=True, max_length=64)),
                (
                    "member",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="partners.partner",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["on", "member"], name="walking_extra_on_member"),
                    models.Index(fields=["on", "device"], name="walking_extra_on_device"),
                ],
            },
        ),
        migrations.AddField(
            model_name="accrualchunk",
            name="held",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="accrualrun",
            name="held",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(partition, unpartition),
    ]
