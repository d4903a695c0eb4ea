# Budget what-if (issue #14): Simulation and its chunks.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Simulation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("programme", models.CharField(max_length=20)),
                ("window_from", models.DateField(verbose_name="업로드 기간 시작")),
                ("window_to", models.DateField(verbose_name="업로드 기간 끝")),
                ("overrides", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("status", models.CharField(choices=[("running", "계산 중"), ("done", "완료"), ("failed", "실패")], default="running", max_length=10)),
                ("chunk_size", models.PositiveIntegerField(default=50000)),
                ("chunks_total", models.PositiveIntegerField(default=0)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("summary", models.JSONField(blank=True, default=dict)),
                ("error", models.TextField(blank=True)),
                ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-id"]},
        ),
        migrations.CreateModel(
            name="SimulationChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("first_vehicle_id", models.BigIntegerField()),
                ("last_vehicle_id", models.BigIntegerField()),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                ("part", models.JSONField(blank=True, default=dict)),
                ("simulation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="chunks", to="whatif.simulation")),
            ],
            options={
                "ordering": ["simulation", "number"],
                "constraints": [models.UniqueConstraint(fields=("simulation", "number"), name="whatif_chunk_unique")],
            },
        ),
    ]
