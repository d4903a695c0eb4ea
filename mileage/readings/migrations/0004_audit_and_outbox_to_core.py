# The audit trail and the outbox move to mileage.core (one audit model for every app).
# Each row is copied with its time, actor and links (vehicle -> subject, reading/cycle -> refs),
# oldest first, before the old tables are dropped; the reverse copies them back.

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("readings", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    OldOutbox = apps.get_model("readings", "OutboxMessage")
    NewOutbox = apps.get_model("core", "OutboxMessage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if Old.objects.exists():
        vehicle_type, _ = ContentType.objects.get_or_create(app_label="vehicles", model="vehicle")
        rows = []
        for e in Old.objects.order_by("at", "id").iterator(chunk_size=2000):
            refs = {k: v for k, v in (("reading", e.reading_id), ("cycle", e.cycle_id)) if v}
            rows.append(
                New(
                    at=e.at,
                    actor_id=e.actor_id,
                    action=e.action,
                    subject_type=vehicle_type,
                    subject_id=e.vehicle_id,
                    refs=refs,
                    reason=e.reason,
                    note=e.note,
                    data=e.data,
                )
            )
        New.objects.bulk_create(rows, batch_size=2000)
    NewOutbox.objects.bulk_create(
        [
            NewOutbox(
                user_id=m.user_id,
                channel=m.channel,
                kind=m.kind,
                subject=m.subject,
                body=m.body,
                key=m.key,
                created_at=m.created_at,
            )
            for m in OldOutbox.objects.order_by("created_at", "id").iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


def backward(apps, schema_editor):
    Old = apps.get_model("readings", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    OldOutbox = apps.get_model("readings", "OutboxMessage")
    NewOutbox = apps.get_model("core", "OutboxMessage")
    moved = New.objects.filter(subject_type__app_label="vehicles", subject_type__model="vehicle")
    Old.objects.bulk_create(
        [
            Old(
                at=e.at,
                actor_id=e.actor_id,
                action=e.action,
                vehicle_id=e.subject_id,
                reading_id=e.refs.get("reading"),
                cycle_id=e.refs.get("cycle"),
                reason=e.reason,
                note=e.note,
                data=e.data,
            )
            for e in moved.order_by("at", "id")
        ],
        batch_size=2000,
    )
    moved.delete()
    OldOutbox.objects.bulk_create(
        [
            OldOutbox(
                user_id=m.user_id,
                channel=m.channel,
                kind=m.kind,
                subject=m.subject,
                body=m.body,
                key=m.key,
                created_at=m.created_at,
            )
            for m in NewOutbox.objects.order_by("created_at", "id")
        ],
        batch_size=2000,
    )
    NewOutbox.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("readings", "0003_connected_car_readings"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="AuditEntry"),
        migrations.DeleteModel(name="OutboxMessage"),
    ]
