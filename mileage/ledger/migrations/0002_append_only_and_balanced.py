"""LEDGER-1 in the database: postings are append-only and every transaction is balanced.

PostgreSQL: UPDATE and DELETE on transactions, postings and lot draws raise; a statement-level
trigger (transition table, so it also covers COPY and multi-row INSERTs) refuses any insert whose
new legs do not sum to zero per transaction. All legs of a transaction are inserted in one
statement by `services._write` and `bulk.post_awards`.
SQLite (embedded default): UPDATE raises. DELETE is left to the model layer there because
Django's test flush empties tables with DELETE (PostgreSQL uses TRUNCATE, which these row
triggers do not see).
"""

from django.db import migrations

APPEND_ONLY = ("ledger_transaction", "ledger_posting", "ledger_lotdraw")

PG_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LEDGER-1: % rows are append-only (post a reversing transaction)', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT transaction_id INTO bad FROM new_legs GROUP BY transaction_id
    HAVING sum(amount) <> 0 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-1: transaction % is not balanced', bad
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting
  REFERENCING NEW TABLE AS new_legs FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_balanced();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_check_balanced();
"""


def forward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_FORWARD)
            for table in APPEND_ONLY:
                cur.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
                )
        elif conn.vendor == "sqlite":
            for table in APPEND_ONLY:
                cur.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'LEDGER-1: ledger rows are append-only'); END"
                )


def backward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in APPEND_ONLY:
            if conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            else:
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
        if conn.vendor == "postgresql":
            cur.execute(PG_REVERSE)
            cur.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
