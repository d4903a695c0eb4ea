"""WALK-7: the five courses the seed names are reference data, present in every database."""

from django.db import migrations


def publish(apps, schema_editor):
    from mileage.walking.course_data import COURSES

    Course = apps.get_model("walking", "Course")
    for data in COURSES:
        Course.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )


class Migration(migrations.Migration):
    dependencies = [("walking", "0001_initial")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
