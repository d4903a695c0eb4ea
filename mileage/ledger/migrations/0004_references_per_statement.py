"""LEDGER-1 references checked once per statement instead of once per row.

A foreign key checks every inserted row on its own (a SELECT ... FOR KEY SHARE per row, which
also writes a lock into the referenced row): four checks per award in the set-based award path,
about a third of its time. Postings and lots keep their references, now proved by
statement-level triggers over the inserted rows (transition tables, index probes):
- a posting's transaction and account exist;
- a lot's posting exists and credits the lot's own account (stronger than the two keys were);
- the referenced rows cannot go away: transactions and postings are append-only (0002), an
  account that has postings or lots cannot be deleted, ids and lot references never change.
SQLite (embedded default) gets the same checks as row triggers, and the append-only triggers
again: SQLite rebuilds a table on AlterField and drops its triggers (0003 lost the one on
ledger_transaction that way).
"""

import django.db.models.deletion
from django.db import migrations, models


PG_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_posting_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.id INTO bad FROM new_legs n
   WHERE (SELECT t.id FROM ledger_transaction t WHERE t.id = n.transaction_id) IS NULL
      OR (SELECT a.id FROM ledger_account a WHERE a.id = n.account_id) IS NULL
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-1: posting % names a missing transaction or account', bad
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_posting_refs AFTER INSERT ON ledger_posting
  REFERENCING NEW TABLE AS new_legs FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_refs();

CREATE OR REPLACE FUNCTION ledger_lot_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.id INTO bad FROM new_lots n
   WHERE (SELECT p.account_id FROM ledger_posting p WHERE p.id = n.posting_id)
         IS DISTINCT FROM n.account_id
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-2: lot % names a missing posting or another account', bad
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_lot_refs AFTER INSERT ON ledger_lot
  REFERENCING NEW TABLE AS new_lots FOR EACH STATEMENT EXECUTE FUNCTION ledger_lot_refs();

CREATE OR REPLACE FUNCTION ledger_refuse_new_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LEDGER-1: % ids and references never change', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_lot_refs_fixed BEFORE UPDATE OF id, account_id, posting_id ON ledger_lot
  FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.account_id <> NEW.account_id
                     OR OLD.posting_id <> NEW.posting_id)
  EXECUTE FUNCTION ledger_refuse_new_refs();
CREATE TRIGGER ledger_account_id_fixed BEFORE UPDATE OF id ON ledger_account
  FOR EACH ROW WHEN (OLD.id <> NEW.id) EXECUTE FUNCTION ledger_refuse_new_refs();

CREATE OR REPLACE FUNCTION ledger_account_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT o.id INTO bad FROM gone o
   WHERE EXISTS (SELECT 1 FROM ledger_posting p WHERE p.account_id = o.id)
      OR EXISTS (SELECT 1 FROM ledger_lot l WHERE l.account_id = o.id)
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-1: account % has postings and cannot be deleted', bad
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_account_kept AFTER DELETE ON ledger_account
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_account_kept();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS ledger_posting_refs ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_lot_refs ON ledger_lot;
DROP TRIGGER IF EXISTS ledger_lot_refs_fixed ON ledger_lot;
DROP TRIGGER IF EXISTS ledger_account_id_fixed ON ledger_account;
DROP TRIGGER IF EXISTS ledger_account_kept ON ledger_account;
DROP FUNCTION IF EXISTS ledger_posting_refs();
DROP FUNCTION IF EXISTS ledger_lot_refs();
DROP FUNCTION IF EXISTS ledger_refuse_new_refs();
DROP FUNCTION IF EXISTS ledger_account_kept();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS ledger_posting_refs BEFORE INSERT ON ledger_posting WHEN "
    "(SELECT id FROM ledger_transaction WHERE id = NEW.transaction_id) IS NULL OR "
    "(SELECT id FROM ledger_account WHERE id = NEW.account_id) IS NULL BEGIN "
    "SELECT RAISE(ABORT, 'LEDGER-1: posting names a missing transaction or account'); END",
    "CREATE TRIGGER IF NOT EXISTS ledger_lot_refs BEFORE INSERT ON ledger_lot WHEN "
    "(SELECT account_id FROM ledger_posting WHERE id = NEW.posting_id) IS NOT NEW.account_id "
    "BEGIN SELECT RAISE(ABORT, 'LEDGER-2: lot names a missing posting or another account'); "
    "END",
    *(
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'LEDGER-1: ledger rows are append-only'); END"
        for table in ("ledger_transaction", "ledger_posting", "ledger_lotdraw")
    ),
]


def forward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_FORWARD)
        elif conn.vendor == "sqlite":
            for sql in SQLITE_FORWARD:
                cur.execute(sql)


def backward(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_REVERSE)
        elif conn.vendor == "sqlite":
            for name in ("ledger_posting_refs", "ledger_lot_refs"):
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_leaner_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lot",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lots",
                to="ledger.account",
            ),
        ),
        migrations.AlterField(
            model_name="lot",
            name="posting",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lot",
                to="ledger.posting",
            ),
        ),
        migrations.AlterField(
            model_name="posting",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="ledger.account",
            ),
        ),
        migrations.AlterField(
            model_name="posting",
            name="transaction",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="ledger.transaction",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
