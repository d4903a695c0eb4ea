"""Set-based award posting for evaluation runs (LEDGER-1, LEDGER-2): thousands of awards in a
handful of SQL statements, with the same guarantees as `services.post` for each of them.

Awards come from a SELECT (`post_awards_from_query`, e.g. a run's results table) or from Python
rows (`post_awards`, COPY'd into a temporary table). Then, in the caller's database transaction:
missing wallets are created; one INSERT stages every award with its wallet, its LEDGER-2 expiry
and, for keys not yet in the ledger, a fresh transaction id; keys already in the ledger are
compared with the new legs (same → skipped, other → `IdempotencyConflict`); the new
transactions, both legs of each in one INSERT (checked by the PostgreSQL balance trigger), their
lots and the balances are written. No ORM object and no query per row.
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
        cur.execute("DROP TABLE IF EXISTS ledger_source")
        cur.execute(
            "CREATE TEMP TABLE ledger_source (key varchar(200), user_id bigint, amount bigint, "
            "effective_on date)"
        )
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY ledger_source FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany("INSERT INTO ledger_source VALUES (%s, %s, %s, %s)", rows)
        posted = _post(
            cur, budget, "SELECT key, user_id, amount, effective_on FROM ledger_source", [], memo
        )
        cur.execute("DROP TABLE ledger_source")
        return posted


def post_awards_from_query(budget: Account, select_sql: str, params: Sequence, *, memo: str) -> int:
    """The same for awards selected by SQL (columns named key, user_id, amount > 0, effective_on),
    so a batch moves them from its own table into the ledger without a row passing through Python.
    """
    with transaction.atomic(), connection.cursor() as cur:
        return _post(cur, budget, select_sql, list(params), memo)


def _post(cur: Any, budget: Account, source: str, params: list, memo: str) -> int:
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    if pg:  # hash joins and sorts of a chunk in memory; for this transaction only
        cur.execute("SET LOCAL work_mem = '64MB'")
    src = f"({source}) AS q"
    cur.execute(f"SELECT COUNT(*), MIN(q.amount) FROM {src}", params)
    count, smallest = cur.fetchone()
    if not count:
        return 0
    if smallest <= 0:
        raise ValueError("awards are positive")
    cur.execute(f"SELECT DISTINCT q.effective_on FROM {src}", params)
    days = [dt.date.fromisoformat(d) if isinstance(d, str) else d for (d,) in cur.fetchall()]
    # LEDGER-2: a dated parameter, computed once per award date (a run has one or two).
    expiry = "CASE " + " ".join("WHEN q.effective_on = %s THEN %s" for _ in days) + " END"
    expiry_params = [v for day in days for v in (day, expires_on(day))]
    if pg:
        new_id = "nextval(pg_get_serial_sequence('ledger_transaction', 'id'))"
        id_params: list = []
    else:  # SQLite: the write lock is held, so ids after the current maximum are free
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_transaction")
        new_id = "%s + ROW_NUMBER() OVER (ORDER BY t.id IS NULL, q.key)"
        id_params = [cur.fetchone()[0]]
    cur.execute("DROP TABLE IF EXISTS ledger_stage")
    cur.execute(
        "CREATE TEMP TABLE ledger_stage (key varchar(200) PRIMARY KEY, user_id bigint NOT NULL, "
        "account_id bigint, amount bigint NOT NULL, effective_on date NOT NULL, "
        "expires_on date NOT NULL, old_id bigint, tx_id bigint)"
    )
    cur.execute(  # account_id stays null for members without a wallet yet
        "INSERT INTO ledger_stage (key, user_id, account_id, amount, effective_on, expires_on, "
        f"old_id, tx_id) SELECT q.key, q.user_id, a.id, q.amount, q.effective_on, {expiry}, "
        f"t.id, CASE WHEN t.id IS NULL THEN {new_id} END FROM {src} "
        "LEFT JOIN ledger_account a ON a.kind = 'wallet' AND a.user_id = q.user_id "
        "LEFT JOIN ledger_transaction t ON t.key = q.key",
        [*expiry_params, *id_params, *params],
    )
    if pg:
        cur.execute("ANALYZE ledger_stage")
    # Keys paid before: the same legs are a repeat (skipped); other legs are a conflict.
    cur.execute(
        "SELECT s.key FROM ledger_stage s WHERE s.old_id IS NOT NULL AND (NOT EXISTS "
        "(SELECT 1 FROM ledger_posting p WHERE p.transaction_id = s.old_id "
        "  AND p.account_id = s.account_id AND p.amount = s.amount) "
        "OR NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.transaction_id = s.old_id "
        "  AND p.account_id = %s AND p.amount = -s.amount)) LIMIT 5",
        [budget.pk],
    )
    conflicts = [k for (k,) in cur.fetchall()]
    if conflicts:
        raise IdempotencyConflict(detail={"keys": conflicts})
    new = "FROM ledger_stage WHERE tx_id IS NOT NULL"
    if pg:  # existing wallets in id order now, the budget at the very end (services._write's order)
        cur.execute(
            "SELECT a.id FROM ledger_account a WHERE a.id IN "
            f"(SELECT account_id {new} AND account_id IS NOT NULL) ORDER BY a.id FOR UPDATE"
        )
    # New wallets are born with their balance (no second write of the row); a wallet created
    # meanwhile by a parallel chunk gets the amount added instead.
    text = "user_id::text" if pg else "CAST(user_id AS TEXT)"
    cur.execute(
        "INSERT INTO ledger_account (ref, kind, user_id, programme, name, balance, created_at) "
        f"SELECT %s || {text}, 'wallet', user_id, '', %s, SUM(amount), %s {new} "
        "AND account_id IS NULL GROUP BY user_id ORDER BY user_id "
        "ON CONFLICT (ref) DO UPDATE SET balance = ledger_account.balance + excluded.balance",
        [WALLET_PREFIX, str(AccountKind.WALLET.label), now],
    )
    cur.execute(
        "UPDATE ledger_account SET balance = ledger_account.balance + d.total FROM "
        f"(SELECT account_id, SUM(amount) AS total {new} AND account_id IS NOT NULL "
        "GROUP BY account_id) AS d WHERE ledger_account.id = d.account_id"
    )
    cur.execute(
        "INSERT INTO ledger_transaction (id, key, kind, memo, effective_on, created_at, "
        f"reverses_id) SELECT tx_id, key, 'award', %s, effective_on, %s, NULL {new}",
        [memo[:200], now],
    )
    cur.execute(  # both legs of every transaction in one statement (PostgreSQL balance trigger)
        "INSERT INTO ledger_posting (transaction_id, account_id, amount) "
        "SELECT s.tx_id, COALESCE(s.account_id, a.id), s.amount FROM ledger_stage s "
        "LEFT JOIN ledger_account a ON s.account_id IS NULL AND a.kind = 'wallet' "
        "AND a.user_id = s.user_id WHERE s.tx_id IS NOT NULL "
        f"UNION ALL SELECT tx_id, %s, -amount {new}",
        [budget.pk],
    )
    false = "false" if pg else "0"
    cur.execute(
        "INSERT INTO ledger_lot (account_id, posting_id, amount, remaining, awarded_on, "
        f"expires_on, expiry_notified) SELECT p.account_id, p.id, p.amount, p.amount, "
        f"s.effective_on, s.expires_on, {false} FROM ledger_stage s "
        "JOIN ledger_posting p ON p.transaction_id = s.tx_id AND p.amount > 0"
    )
    cur.execute(f"SELECT COUNT(*), COALESCE(SUM(amount), 0) {new}")
    posted, total = cur.fetchone()
    if total:  # last: parallel chunks hold the shared budget row only for a moment
        cur.execute(
            "UPDATE ledger_account SET balance = balance - %s WHERE id = %s", [total, budget.pk]
        )
    cur.execute("DROP TABLE ledger_stage")
    return posted
