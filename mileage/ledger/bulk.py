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
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .errors import IdempotencyConflict
from .models import Account, AccountKind
from .params import expires_on
from .services import account_ref

WALLET_PREFIX = account_ref(AccountKind.WALLET, user_id=0)[:-1]  # "wallet:user="
AwardRow = tuple[str, int, int, dt.date]  # key, user id, amount (> 0), effective (payment) date


def post_awards(budget: Account, rows: Sequence[AwardRow], *, memo: str) -> int:
    """Credit each row's member wallet from `budget` once per key; returns how many were new."""
    if not rows:
        return 0
    if any(amount <= 0 for _, _, amount, _ in rows):
        raise ValueError("awards are positive")
    with transaction.atomic(), connection.cursor() as cur:
        _create_stage(cur)
        if connection.vendor == "postgresql":
            with cur.cursor.copy(
                "COPY ledger_stage (key, user_id, amount, effective_on) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(
                "INSERT INTO ledger_stage (key, user_id, amount, effective_on) "
                "VALUES (%s, %s, %s, %s)",
                rows,
            )
        return _post_staged(cur, budget, memo)


def post_awards_from_query(budget: Account, select_sql: str, params: Sequence, *, memo: str) -> int:
    """The same, for awards selected by SQL (columns: key, user id, amount > 0, effective date),
    so a batch moves them from its own table into the ledger without a row passing through Python.
    """
    with transaction.atomic(), connection.cursor() as cur:
        _create_stage(cur)
        cur.execute(
            f"INSERT INTO ledger_stage (key, user_id, amount, effective_on) {select_sql}", params
        )
        cur.execute("SELECT COUNT(*) FROM ledger_stage WHERE amount <= 0")
        if cur.fetchone()[0]:
            raise ValueError("awards are positive")
        return _post_staged(cur, budget, memo)


def _create_stage(cur: Any) -> None:
    cur.execute("DROP TABLE IF EXISTS ledger_stage")
    cur.execute(
        "CREATE TEMP TABLE ledger_stage (key varchar(200) PRIMARY KEY, user_id bigint NOT NULL, "
        "amount bigint NOT NULL, effective_on date NOT NULL, expires_on date, ref varchar(200), "
        "account_id bigint, tx_id bigint)"
    )


def _post_staged(cur: Any, budget: Account, memo: str) -> int:
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    cur.execute("SELECT DISTINCT effective_on FROM ledger_stage")
    for (on,) in cur.fetchall():
        on = dt.date.fromisoformat(on) if isinstance(on, str) else on
        cur.execute(  # LEDGER-2: a dated parameter, so computed per award date (few of them)
            "UPDATE ledger_stage SET expires_on = %s WHERE effective_on = %s", [expires_on(on), on]
        )
    concat = "%s || user_id::text" if pg else "%s || CAST(user_id AS TEXT)"
    cur.execute(f"UPDATE ledger_stage SET ref = {concat}", [WALLET_PREFIX])
    if pg:
        cur.execute("CREATE INDEX ON ledger_stage (ref)")
        cur.execute("ANALYZE ledger_stage")
    false = "false" if pg else "0"
    cur.execute(
        "INSERT INTO ledger_account (ref, kind, user_id, programme, name, balance, created_at) "
        "SELECT DISTINCT ref, 'wallet', user_id, '', %s, 0, %s "
        "FROM ledger_stage WHERE true ON CONFLICT (ref) DO NOTHING",
        [str(AccountKind.WALLET.label), now],
    )
    cur.execute(
        "UPDATE ledger_stage SET account_id = a.id FROM ledger_account a WHERE a.ref = ledger_stage.ref"
    )
    # Keys paid before: the same legs are a repeat (skipped); other legs are a conflict.
    cur.execute(
        "SELECT s.key FROM ledger_stage s JOIN ledger_transaction t ON t.key = s.key "
        "WHERE NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.transaction_id = t.id "
        "  AND p.account_id = s.account_id AND p.amount = s.amount) "
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
            "SELECT a.id FROM ledger_account a WHERE a.id = %s OR a.id IN "
            "(SELECT account_id FROM ledger_stage) ORDER BY a.id FOR UPDATE",
            [budget.pk],
        )
    cur.execute(
        "INSERT INTO ledger_transaction (key, kind, memo, effective_on, created_at, reverses_id) "
        "SELECT key, 'award', %s, effective_on, %s, NULL FROM ledger_stage ORDER BY key",
        [memo[:200], now],
    )
    cur.execute(
        "UPDATE ledger_stage SET tx_id = t.id FROM ledger_transaction t WHERE t.key = ledger_stage.key"
    )
    cur.execute(  # both legs of every transaction in one statement (PostgreSQL balance trigger)
        "INSERT INTO ledger_posting (transaction_id, account_id, amount) "
        "SELECT tx_id, account_id, amount FROM ledger_stage "
        "UNION ALL SELECT tx_id, %s, -amount FROM ledger_stage",
        [budget.pk],
    )
    cur.execute(
        "INSERT INTO ledger_lot (account_id, posting_id, amount, remaining, awarded_on, "
        f"expires_on, expiry_notified) SELECT p.account_id, p.id, p.amount, p.amount, "
        f"s.effective_on, s.expires_on, {false} FROM ledger_stage s "
        "JOIN ledger_posting p ON p.transaction_id = s.tx_id AND p.account_id = s.account_id"
    )
    cur.execute(
        "UPDATE ledger_account SET balance = ledger_account.balance + d.total FROM "
        "(SELECT account_id, SUM(amount) AS total FROM ledger_stage GROUP BY account_id "
        " UNION ALL SELECT %s, -SUM(amount) FROM ledger_stage) AS d "
        "WHERE ledger_account.id = d.account_id AND d.total IS NOT NULL",
        [budget.pk],
    )
    cur.execute("SELECT COUNT(*) FROM ledger_stage")
    posted = cur.fetchone()[0]
    cur.execute("DROP TABLE ledger_stage")
    return posted
