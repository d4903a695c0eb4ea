"""The ranking tables hold only what `community.refresh_rankings` rewrites every 30 minutes:
on PostgreSQL they are UNLOGGED (no WAL for the refresh's hundreds of thousands of rows; after a
crash they come back empty and the next refresh fills them). `PeriodSteps` stays logged."""

from django.db import migrations

TABLES = ["community_walkerrank", "community_crewrank", "community_districtrank"]


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE "{table}" SET UNLOGGED')


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE "{table}" SET LOGGED')


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(unlogged, logged)]
