# Photo checks on a worker (issue #12, READING_PHOTO_CHECKS=worker): a reading may wait as
# "checking" with its uploads' storage names in `incoming`, or end "failed" with the reason;
# one pending reading per vehicle and event counts "checking" too.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("readings", "0004_audit_and_outbox_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="reading",
            name="incoming",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="reading",
            name="status",
            field=models.CharField(
                choices=[
                    ("checking", "사진 확인 중"),
                    ("failed", "사진 확인 실패"),
                    ("submitted", "심사 대기"),
                    ("approved", "승인"),
                    ("rejected", "반려"),
                ],
                default="submitted",
                max_length=10,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reading",
            name="reading_one_pending_per_vehicle_event",
        ),
        migrations.AddConstraint(
            model_name="reading",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["submitted", "checking"])),
                fields=("vehicle", "event"),
                name="reading_one_pending_per_vehicle_event",
            ),
        ),
    ]
