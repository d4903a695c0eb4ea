"""Set-based award posting for evaluation runs (LEDGER-1, LEDGER-2): thousands of awards in a
handful of SQL statements, with the same guarantees as `services.post` for each of them.

Rows go into a temporary table (COPY on PostgreSQL, executemany on SQLite), then:
wallets are created if missing; keys already in the ledger are compared with the new legs
(same → skipped, other → `IdempotencyConflict`); the new transactions, both legs of each in one
INSERT (the PostgreSQL balance trigger checks them), their lots and the balances are written.
No ORM object and no query per row. The caller's transaction makes it all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from .errors import IdempotencyConflict
from .models import Account, AccountKind
from .params import expires_on
from .services import account_ref

WALLET_PREFIX = account_ref(AccountKind.WALLET, user_id=0)[:-1]  # "wallet:user="
AwardRow = tuple[str, int, int, dt.date]  # key, user id, amount (> 0), effective (payment) date


def post_awards(budget: Account, rows: Sequence[AwardRow], *, memo: str) -> list[str]:
    """Credit each row's member wallet from `budget` once per key; returns the keys posted now."""
    if not rows:
        return []
    if any(amount <= 0 for _, _, amount, _ in rows):
        raise ValueError("awards are positive")
    expiry = {on: expires_on(on) for on in {r[3] for r in rows}}
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS ledger_stage")
        cur.execute(
            "CREATE TEMP TABLE ledger_stage (key varchar(200) PRIMARY KEY, user_id bigint, "
            "amount bigint, effective_on date, expires_on date, ref varchar(200))"
        )
        staged = [(k, u, a, on, expiry[on], f"{WALLET_PREFIX}{u}") for k, u, a, on in rows]
        if pg:
            with cur.cursor.copy(
                "COPY ledger_stage (key, user_id, amount, effective_on, expires_on, ref) FROM STDIN"
            ) as copy:
                for row in staged:
                    copy.write_row(row)
            cur.execute("ANALYZE ledger_stage")
        else:
            cur.executemany("INSERT INTO ledger_stage VALUES (%s, %s, %s, %s, %s, %s)", staged)
        false = "false" if pg else "0"
        cur.execute(
            "INSERT INTO ledger_account (ref, kind, user_id, programme, name, balance, created_at) "
            "SELECT DISTINCT ref, 'wallet', user_id, '', %s, 0, %s "
            "FROM ledger_stage WHERE true ON CONFLICT (ref) DO NOTHING",
            [str(AccountKind.WALLET.label), now],
        )
        # Keys paid before: the same legs are a repeat (skipped); other legs are a conflict.
        cur.execute(
            "SELECT s.key FROM ledger_stage s JOIN ledger_transaction t ON t.key = s.key "
            "WHERE NOT EXISTS (SELECT 1 FROM ledger_posting p JOIN ledger_account a "
            "  ON a.id = p.account_id WHERE p.transaction_id = t.id AND a.ref = s.ref "
            "  AND p.amount = s.amount) "
            "OR NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.transaction_id = t.id "
            "  AND p.account_id = %s AND p.amount = -s.amount) LIMIT 5",
            [budget.pk],
        )
        conflicts = [k for (k,) in cur.fetchall()]
        if conflicts:
            raise IdempotencyConflict(detail={"keys": conflicts})
        cur.execute(
            "DELETE FROM ledger_stage WHERE EXISTS "
            "(SELECT 1 FROM ledger_transaction t WHERE t.key = ledger_stage.key)"
        )
        if pg:  # lock the accounts in id order, as services._write does
            cur.execute(
                "SELECT a.id FROM ledger_account a WHERE a.id = %s OR a.ref IN "
                "(SELECT ref FROM ledger_stage) ORDER BY a.id FOR UPDATE",
                [budget.pk],
            )
        cur.execute(
            "INSERT INTO ledger_transaction (key, kind, memo, effective_on, created_at, reverses_id) "
            "SELECT key, 'award', %s, effective_on, %s, NULL FROM ledger_stage ORDER BY key",
            [memo[:200], now],
        )
        cur.execute(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount) "
            "SELECT t.id, a.id, s.amount FROM ledger_stage s "
            "JOIN ledger_transaction t ON t.key = s.key JOIN ledger_account a ON a.ref = s.ref "
            "UNION ALL SELECT t.id, %s, -s.amount FROM ledger_stage s "
            "JOIN ledger_transaction t ON t.key = s.key",
            [budget.pk],
        )
        cur.execute(
            "INSERT INTO ledger_lot (account_id, posting_id, amount, remaining, awarded_on, "
            f"expires_on, expiry_notified) SELECT p.account_id, p.id, p.amount, p.amount, "
            f"s.effective_on, s.expires_on, {false} FROM ledger_stage s "
            "JOIN ledger_transaction t ON t.key = s.key "
            "JOIN ledger_posting p ON p.transaction_id = t.id AND p.amount > 0"
        )
        cur.execute(
            "UPDATE ledger_account SET balance = ledger_account.balance + d.total FROM "
            "(SELECT p.account_id AS account_id, SUM(p.amount) AS total FROM ledger_stage s "
            "JOIN ledger_transaction t ON t.key = s.key "
            "JOIN ledger_posting p ON p.transaction_id = t.id GROUP BY p.account_id) AS d "
            "WHERE ledger_account.id = d.account_id"
        )
        cur.execute("SELECT key FROM ledger_stage ORDER BY key")
        posted = [k for (k,) in cur.fetchall()]
        cur.execute("DROP TABLE ledger_stage")
    return posted
