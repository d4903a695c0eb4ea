# The pilot's audit trail moves to mileage.core (one audit model for every app). Each row is
# copied with its time, actor, partner and enrolment (-> subject), oldest first, before the old
# table is dropped; the reverse copies them back.

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("pilot", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    enrolment_type, _ = ContentType.objects.get_or_create(app_label="pilot", model="enrolment")
    New.objects.bulk_create(
        [
            New(
                at=e.at,
                actor_id=e.actor_id,
                partner_id=e.partner_id,
                action=e.action,
                subject_type=enrolment_type if e.enrolment_id else None,
                subject_id=e.enrolment_id,
                note=e.note,
                data=e.data,
            )
            for e in Old.objects.order_by("at", "id").iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


def backward(apps, schema_editor):
    Old = apps.get_model("pilot", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    moved = New.objects.filter(action__startswith="pilot.")
    Old.objects.bulk_create(
        [
            Old(
                at=e.at,
                actor_id=e.actor_id,
                partner_id=e.partner_id,
                enrolment_id=e.subject_id,
                action=e.action,
                note=e.note,
                data=e.data,
            )
            for e in moved.order_by("at", "id")
        ],
        batch_size=2000,
    )
    moved.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("pilot", "0003_connected_car_readings"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="AuditEntry"),
    ]
