"""Set-based award posting, the ledger's own (LEDGER-1, LEDGER-2): thousands of awards in a
handful of SQL statements, with the same guarantees as `services.post` for each of them.

Callers hand `post_awards` their awards either as Python rows or as a Django queryset
(`.values_list(key, user id, amount, effective date)`, e.g. a run's results table); the ledger
compiles the queryset itself and never takes SQL text. Then, in the caller's database
transaction: one INSERT stages every award with its wallet, its LEDGER-2 expiry and, for keys not
yet in the ledger, fresh transaction and posting ids; keys already in the ledger are compared
with the new legs (same → skipped, other → `IdempotencyConflict`, as `services.post` does);
wallets are credited (missing ones created with their balance); the new transactions, both legs
of each in one INSERT (checked by the PostgreSQL balance and reference triggers, once per
statement), their lots and the budget are written. No ORM object and no query per row, and every
look-up of a ledger table is an index probe per staged row, so a chunk costs the same however
large the ledger has grown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.utils import timezone

from .errors import IdempotencyConflict, InvalidAmount
from .models import Account, AccountKind, TxKind
from .params import expires_on
from .services import MEMO_LENGTH, account_ref, check_amount, check_budget

WALLET_PREFIX = account_ref(AccountKind.WALLET, user_id=0)[:-1]  # "wallet:user="
AwardRow = tuple[str, int, int, dt.date]  # key, user id, amount (> 0), effective (payment) date
COLUMNS = ("key", "user_id", "amount", "effective_on")


def post_awards(
    budget: Account,
    awards: Sequence[AwardRow] | QuerySet,
    *,
    memo: str,
    relaxed_durability: bool = False,
) -> int:
    """Credit each award's member wallet from `budget` once per key; returns how many were new.

    `awards`: rows `(key, user_id, amount, effective_on)`, or a queryset of the same four values
    (`.values_list(...)`, expressions allowed) that the ledger compiles and reads in SQL, so a
    batch's awards reach the ledger without a row passing through Python.

    `relaxed_durability=True` lets this database transaction commit without waiting for its
    write-ahead log to reach the disk (`SET LOCAL synchronous_commit = off`, PostgreSQL only).
    The books stay consistent, but a crash of the database server (not of this process) within a
    fraction of a second (at most three `wal_writer_delay`s, 0.6 s by default) after the commit
    can lose the whole transaction: these postings and everything the caller wrote in the same
    transaction (e.g. its claims or its chunk's paid mark), never part of it. Ask for it only
    when the caller can run the same awards again (the keys make a rerun pay each award once);
    any later synchronous commit flushes every earlier one.
    """
    check_budget(budget)
    if isinstance(awards, (str, bytes)):
        raise TypeError("awards are rows or a queryset, never SQL text")
    with transaction.atomic(), connection.cursor() as cur:
        if relaxed_durability and connection.vendor == "postgresql":
            cur.execute("SET LOCAL synchronous_commit = off")
        if isinstance(awards, QuerySet):
            source, params = _compiled(awards)
            return _post(cur, budget, source, params, memo)
        if not awards:
            return 0
        for _, _, amount, _ in awards:
            check_amount(amount)
        cur.execute("DROP TABLE IF EXISTS ledger_source")
        cur.execute(
            "CREATE TEMP TABLE ledger_source (key varchar(200), user_id bigint, amount bigint, "
            "effective_on date)"
        )
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY ledger_source FROM STDIN") as copy:
                for row in awards:
                    copy.write_row(row)
        else:
            cur.executemany("INSERT INTO ledger_source VALUES (%s, %s, %s, %s)", awards)
        posted = _post(cur, budget, f"SELECT {', '.join(COLUMNS)} FROM ledger_source", [], memo)
        cur.execute("DROP TABLE ledger_source")
        return posted


def _compiled(awards: QuerySet) -> tuple[str, list]:
    """The queryset's SELECT, compiled here, with its four values named as the ledger reads them
    (renamed by position in a WITH clause, picked by the aliases the compiler gave them)."""
    fields = list(awards._fields or ())
    if awards._iterable_class is not ValuesListIterable or len(fields) != len(COLUMNS):
        raise TypeError("awards: a values_list(key, user_id, amount, effective_on) queryset")
    if awards.db != connection.alias:
        raise ValueError("awards: a queryset of the ledger's database")
    compiler = awards.order_by().query.get_compiler(using=awards.db)  # read as a set
    sql, params = compiler.as_sql()
    aliases = [alias for _, _, alias in compiler.select]
    if sorted(fields) != sorted(aliases):
        raise TypeError(f"awards: the queryset selects {aliases}, not {fields}")
    names = ", ".join(f"c{i}" for i in range(len(aliases)))
    picks = ", ".join(
        f"c{aliases.index(field)} AS {column}"
        for field, column in zip(fields, COLUMNS, strict=True)
    )
    return f"WITH awards ({names}) AS ({sql}) SELECT {picks} FROM awards", list(params)


def _post(cur: Any, budget: Account, source: str, params: list, memo: str) -> int:
    """Stage the awards, check repeats, then one statement per table.

    Linear in the batch, whatever the ledger's size: every look-up of a ledger table is an index
    probe per staged row (correlated subqueries, `= ANY(ARRAY(...))`), never a join the planner
    could turn into a scan of the whole table; transaction and posting ids are drawn up front,
    so the lots need no join back to the postings.
    """
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    if pg:  # for this transaction only: sorts of a chunk in memory; no JIT, whose compiling
        # (~0.1 s a statement, set off by cost estimates of the ledger's tables) costs more than
        # these index-probing statements take to run
        cur.execute("SET LOCAL work_mem = '64MB'")
        cur.execute("SET LOCAL jit = off")
    src = f"({source}) AS q"
    cur.execute(f"SELECT COUNT(*), MIN(q.amount) FROM {src}", params)
    count, smallest = cur.fetchone()
    if not count:
        return 0
    if smallest <= 0:
        raise InvalidAmount()  # as services.post refuses it
    cur.execute(f"SELECT DISTINCT q.effective_on FROM {src}", params)
    days = [dt.date.fromisoformat(d) if isinstance(d, str) else d for (d,) in cur.fetchall()]
    # LEDGER-2: a dated parameter, computed once per award date (a run has one or two).
    expiry = "CASE " + " ".join("WHEN x.effective_on = %s THEN %s" for _ in days) + " END"
    expiry_params = [v for day in days for v in (day, expires_on(day))]
    if pg:
        cur.execute(  # looked up once, not once per row
            "SELECT pg_get_serial_sequence('ledger_transaction', 'id'), "
            "pg_get_serial_sequence('ledger_posting', 'id')"
        )
        tx_seq, leg_seq = (f"nextval('{name}'::regclass)" for name in cur.fetchone())
        ids = [tx_seq, leg_seq, leg_seq]
        id_params: list = []
    else:  # SQLite: the write lock is held, so ids after the current maxima are free
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_transaction")
        top_tx = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_posting")
        top_leg = cur.fetchone()[0]
        n = "ROW_NUMBER() OVER (ORDER BY x.old_id IS NOT NULL, x.key)"
        ids = [f"%s + {n}", f"%s + 2 * {n} - 1", f"%s + 2 * {n}"]
        id_params = [top_tx, top_leg, top_leg]
    cur.execute("DROP TABLE IF EXISTS ledger_stage")
    cur.execute(
        "CREATE TEMP TABLE ledger_stage (key varchar(200) PRIMARY KEY, user_id bigint NOT NULL, "
        "account_id bigint, amount bigint NOT NULL, effective_on date NOT NULL, "
        "expires_on date NOT NULL, old_id bigint, tx_id bigint, wallet_leg_id bigint, "
        "budget_leg_id bigint)"
    )
    cur.execute(  # account_id stays null for members without a wallet yet
        "INSERT INTO ledger_stage (key, user_id, account_id, amount, effective_on, expires_on, "
        "old_id, tx_id, wallet_leg_id, budget_leg_id) "
        f"SELECT x.key, x.user_id, x.account_id, x.amount, x.effective_on, {expiry}, x.old_id, "
        f"{_new_only(ids)} FROM (SELECT q.key, q.user_id, q.amount, q.effective_on, "
        f"{_wallet_of('q.user_id', pg)} AS account_id, "
        f"(SELECT t.id FROM ledger_transaction t WHERE t.key = q.key) AS old_id "
        f"FROM {src}{' OFFSET 0' if pg else ''}) AS x",
        [*expiry_params, *id_params, WALLET_PREFIX, *params],
    )
    if pg:
        cur.execute("ANALYZE ledger_stage")
    _refuse_conflicts(cur, budget, pg)
    new = "FROM ledger_stage WHERE tx_id IS NOT NULL"
    wallets = f"SELECT DISTINCT account_id {new} AND account_id IS NOT NULL"
    in_wallets = f"= ANY(ARRAY({wallets}))" if pg else f"IN ({wallets})"
    existing = True
    if pg:  # existing wallets in id order now, the budget at the very end (services._write's order)
        cur.execute(
            f"SELECT a.id FROM ledger_account a WHERE a.id {in_wallets} ORDER BY a.id FOR UPDATE"
        )
        existing = bool(cur.fetchall())
        if existing:  # a chunk of first-time members (all wallets new) skips index and update
            cur.execute("CREATE INDEX ON ledger_stage (account_id)")
    if existing:
        cur.execute(
            "UPDATE ledger_account SET balance = ledger_account.balance + (SELECT SUM(s.amount) "
            "FROM ledger_stage s WHERE s.account_id = ledger_account.id AND s.tx_id IS NOT NULL) "
            f"WHERE ledger_account.id {in_wallets}"
        )
    # New wallets are born with their balance (no second write of the row); a wallet created
    # meanwhile by a parallel chunk gets the amount added instead.
    cur.execute(
        "INSERT INTO ledger_account (ref, kind, user_id, programme, name, balance, created_at) "
        f"SELECT %s || {_text('user_id', pg)}, 'wallet', user_id, '', %s, SUM(amount), %s {new} "
        "AND account_id IS NULL GROUP BY user_id ORDER BY user_id "
        "ON CONFLICT (ref) DO UPDATE SET balance = ledger_account.balance + excluded.balance",
        [WALLET_PREFIX, str(AccountKind.WALLET.label), now],
    )
    cur.execute(
        f"UPDATE ledger_stage SET account_id = {_wallet_of('ledger_stage.user_id', pg)} "
        "WHERE account_id IS NULL AND tx_id IS NOT NULL",
        [WALLET_PREFIX],
    )
    cur.execute(
        "INSERT INTO ledger_transaction (id, key, kind, memo, effective_on, created_at, "
        f"reverses_id) SELECT tx_id, key, %s, %s, effective_on, %s, NULL {new}",
        [TxKind.AWARD.value, memo[:MEMO_LENGTH], now],
    )
    cur.execute(  # both legs of every transaction in one statement (PostgreSQL balance trigger)
        "INSERT INTO ledger_posting (id, transaction_id, account_id, amount) "
        f"SELECT wallet_leg_id, tx_id, account_id, amount {new} "
        f"UNION ALL SELECT budget_leg_id, tx_id, %s, -amount {new}",
        [budget.pk],
    )
    false = "false" if pg else "0"
    cur.execute(
        "INSERT INTO ledger_lot (account_id, posting_id, amount, remaining, awarded_on, "
        f"expires_on, expiry_notified) SELECT account_id, wallet_leg_id, amount, amount, "
        f"effective_on, expires_on, {false} {new}"
    )
    cur.execute(f"SELECT COUNT(*), COALESCE(SUM(amount), 0) {new}")
    posted, total = cur.fetchone()
    if total:  # last: parallel chunks hold the shared budget row only for a moment
        cur.execute(
            "UPDATE ledger_account SET balance = balance - %s WHERE id = %s", [total, budget.pk]
        )
    cur.execute("DROP TABLE ledger_stage")
    return posted


def _text(column: str, pg: bool) -> str:
    return f"{column}::text" if pg else f"CAST({column} AS TEXT)"


def _new_only(ids: list[str]) -> str:
    """Fresh ids only for keys not yet in the ledger."""
    return ", ".join(f"CASE WHEN x.old_id IS NULL THEN {e} END" for e in ids)


def _wallet_of(user_id: str, pg: bool) -> str:
    """The member's wallet id, one probe of the unique ref index (params: WALLET_PREFIX)."""
    return f"(SELECT a.id FROM ledger_account a WHERE a.ref = %s || {_text(user_id, pg)})"


def _refuse_conflicts(cur: Any, budget: Account, pg: bool) -> None:
    """Keys paid before: the same two legs are a repeat (skipped); other legs are a conflict.

    One index probe of the stored legs per repeated key (a scalar subquery, never a scan).
    """
    false = "false" if pg else "0"
    cur.execute(
        "SELECT s.key FROM ledger_stage s WHERE s.old_id IS NOT NULL AND COALESCE(("
        "SELECT COUNT(*) = 2 AND SUM(CASE WHEN p.account_id = s.account_id "
        "AND p.amount = s.amount THEN 1 WHEN p.account_id = %s AND p.amount = -s.amount "
        "THEN 1 ELSE 0 END) = 2 FROM ledger_posting p WHERE p.transaction_id = s.old_id), "
        f"{false}) = {false} LIMIT 5",
        [budget.pk],
    )
    conflicts = [k for (k,) in cur.fetchall()]
    if conflicts:
        raise IdempotencyConflict(detail={"keys": conflicts})
