"""DayAccrual keyed by the member-day itself, without per-row foreign-key checks (2 million rows a
day). Rebuilt rather than altered: Django cannot turn an id key into a composite one in place.
Rows are re-created by the next accrual run; the ledger keys (walk:day:<member>:<date>) already
paid are skipped by the ledger, so nobody is paid twice."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("walking", "0003_relax_steps_upper_bound"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="DayAccrual"),
        migrations.CreateModel(
            name="DayAccrual",
            fields=[
                ("pk", models.CompositePrimaryKey("member_id", "on", blank=True, editable=False, primary_key=True, serialize=False)),
                ("on", models.DateField()),
                ("steps", models.PositiveIntegerField()),
                ("mileage", models.PositiveIntegerField()),
                ("member", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("run", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name="accruals", to="walking.accrualrun")),
            ],
        ),
    ]
