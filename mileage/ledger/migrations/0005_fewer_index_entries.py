"""Fewer index entries and row locks per award (issue #6, LEDGER-1).

- `ledger_transaction.reverses_id`: a partial unique index over the reversals only (at most one
  reversal per transaction, as the one-to-one key was), so an award, which reverses nothing,
  adds no NULL entry to a unique index; the foreign key to the reversed transaction stays.
- `ledger_account.user_id`: the member is proved by a statement-level trigger over the inserted
  wallets (one index probe each, no lock) instead of a foreign key, which wrote a row lock into
  the member's row for every new wallet; a member with an account cannot be deleted (trigger on
  the user table; Django's PROTECT refuses it in the ORM as before), and an account's member
  never changes.
SQLite: the same checks as row triggers, and the triggers of 0004 again (SQLite rebuilds the
altered tables and drops their triggers).
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

refs = import_module("mileage.ledger.migrations.0004_references_per_statement")


PG_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_account_user_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.id INTO bad FROM new_accounts n
   WHERE n.user_id IS NOT NULL
     AND (SELECT u.id FROM {users} u WHERE u.id = n.user_id) IS NULL
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-1: account % names a missing member', bad
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_account_user_refs AFTER INSERT ON ledger_account
  REFERENCING NEW TABLE AS new_accounts FOR EACH STATEMENT
  EXECUTE FUNCTION ledger_account_user_refs();
CREATE TRIGGER ledger_account_user_fixed BEFORE UPDATE OF user_id ON ledger_account
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION ledger_refuse_new_refs();

CREATE OR REPLACE FUNCTION ledger_member_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT o.id INTO bad FROM gone o
   WHERE EXISTS (SELECT 1 FROM ledger_account a WHERE a.user_id = o.id) LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER-1: member % has a ledger account and cannot be deleted', bad
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_member_kept AFTER DELETE ON {users}
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_member_kept();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS ledger_account_user_refs ON ledger_account;
DROP TRIGGER IF EXISTS ledger_account_user_fixed ON ledger_account;
DROP TRIGGER IF EXISTS ledger_member_kept ON {users};
DROP FUNCTION IF EXISTS ledger_account_user_refs();
DROP FUNCTION IF EXISTS ledger_member_kept();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS ledger_account_user_refs BEFORE INSERT ON ledger_account WHEN "
    "NEW.user_id IS NOT NULL AND (SELECT id FROM {users} WHERE id = NEW.user_id) IS NULL BEGIN "
    "SELECT RAISE(ABORT, 'LEDGER-1: account names a missing member'); END",
]


def drop_sqlite_refs(apps, schema_editor):
    """SQLite: a trigger naming a table being rebuilt breaks the rebuild's rename; made again
    by `forward`."""
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cur:
            cur.execute("DROP TRIGGER IF EXISTS ledger_posting_refs")


def forward(apps, schema_editor):
    conn = schema_editor.connection
    users = conn.ops.quote_name(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table)
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_FORWARD.replace("{users}", users))
        elif conn.vendor == "sqlite":
            for sql in [*refs.SQLITE_FORWARD, *SQLITE_FORWARD]:
                cur.execute(sql.replace("{users}", users))


def backward(apps, schema_editor):
    conn = schema_editor.connection
    users = conn.ops.quote_name(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table)
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_REVERSE.replace("{users}", users))
        elif conn.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS ledger_account_user_refs")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_references_per_statement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_refs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="account",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="reverses",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversed_by",
                to="ledger.transaction",
            ),
        ),
        migrations.AddConstraint(
            model_name="transaction",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reverses__isnull", False)),
                fields=("reverses",),
                name="ledger_transaction_reversed_once",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
