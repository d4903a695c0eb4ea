"""On PostgreSQL `WalkerRank` becomes a table partitioned by (period, starts_on): a refresh
builds a period's ranks in a fresh UNLOGGED table (no index to maintain row by row), indexes it
in one sort each and swaps it in (DETACH + DROP the old partition, ATTACH the new) instead of
a DELETE and an INSERT into three indexes. The ranks are derived data: they are dropped here
and the next refresh refills them. SQLite keeps the plain table."""

from django.db import migrations

TABLE = "community_walkerrank"
COLUMNS = (
    '"period" varchar(5) NOT NULL, "starts_on" date NOT NULL, "member_id" bigint NOT NULL, '
    '"nickname" varchar(20) NOT NULL, "district_id" bigint NULL, "steps" bigint NOT NULL, '
    '"rank_seoul" integer NOT NULL, "rank_district" integer NULL, '
    'PRIMARY KEY ("period", "starts_on", "member_id")'
)
INDEXES = (
    'CREATE INDEX "community_rank_seoul" ON "community_walkerrank" '
    '("period", "starts_on", "rank_seoul", "member_id")',
    'CREATE INDEX "community_rank_district" ON "community_walkerrank" '
    '("period", "starts_on", "district_id", "rank_district", "member_id")',
)


def partitioned(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TABLE "{TABLE}"')
        schema_editor.execute(
            f'CREATE TABLE "{TABLE}" ({COLUMNS}) PARTITION BY RANGE ("period", "starts_on")'
        )
        for sql in INDEXES:
            schema_editor.execute(sql)


def plain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TABLE "{TABLE}"')  # drops its partitions
        schema_editor.execute(f'CREATE UNLOGGED TABLE "{TABLE}" ({COLUMNS})')
        for sql in INDEXES:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("community", "0002_unlogged_rankings")]
    operations = [migrations.RunPython(partitioned, plain)]
