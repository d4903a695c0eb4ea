"""The access log in the database: rows cannot be changed or deleted (PIPA: kept unaltered).

PostgreSQL: UPDATE and DELETE raise. SQLite (embedded default): UPDATE raises; DELETE is left to
the model layer there because Django's test flush empties tables with DELETE (PostgreSQL uses
TRUNCATE, which these row triggers do not see). The same arrangement as the ledger's 0002.
"""

from django.db import migrations

TABLE = "privacy_personaldataaccess"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the personal-data access log is append-only'
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION privacy_refuse_change();
"""


def forward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_FORWARD)
        elif conn.vendor == "sqlite":
            cur.execute(
                f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'the personal-data access log is append-only'); END"
            )


def backward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
            cur.execute("DROP FUNCTION IF EXISTS privacy_refuse_change()")
        else:
            cur.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
