"""LEDGER-1 invariants, proved from the stored rows (tests end with `assert_books_balance()`)."""

from __future__ import annotations

from django.db import connection


def verify_books() -> list[str]:
    """Every way the books could be wrong, as readable lines (empty when they balance).

    - every transaction's postings sum to zero and it has at least two legs;
    - the sum of all postings (= all balances) is zero;
    - each account's maintained balance equals the sum of its postings;
    - no wallet is negative, and each wallet's lots add up to its balance (LEDGER-2).
    """
    problems: list[str] = []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT t.key, COALESCE(SUM(p.amount), 0), COUNT(p.id) FROM ledger_transaction t "
            "LEFT JOIN ledger_posting p ON p.transaction_id = t.id GROUP BY t.id, t.key "
            "HAVING COALESCE(SUM(p.amount), 0) <> 0 OR COUNT(p.id) < 2"
        )
        problems += [f"transaction {k} sums to {s} over {n} legs" for k, s, n in cur.fetchall()]
        cur.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger_posting")
        total = cur.fetchone()[0]
        if total != 0:
            problems.append(f"all postings sum to {total}, not 0")
        cur.execute(
            "SELECT a.ref, a.balance, COALESCE(s.total, 0) FROM ledger_account a LEFT JOIN "
            "(SELECT account_id, SUM(amount) AS total FROM ledger_posting GROUP BY account_id) s "
            "ON s.account_id = a.id WHERE a.balance <> COALESCE(s.total, 0)"
        )
        problems += [
            f"account {r}: balance {b} but postings sum to {s}" for r, b, s in cur.fetchall()
        ]
        cur.execute("SELECT ref, balance FROM ledger_account WHERE kind = 'wallet' AND balance < 0")
        problems += [f"wallet {r} is negative: {b}" for r, b in cur.fetchall()]
        cur.execute(
            "SELECT a.ref, a.balance, COALESCE(l.total, 0) FROM ledger_account a LEFT JOIN "
            "(SELECT account_id, SUM(remaining) AS total FROM ledger_lot GROUP BY account_id) l "
            "ON l.account_id = a.id WHERE a.kind = 'wallet' AND a.balance <> COALESCE(l.total, 0)"
        )
        problems += [f"wallet {r}: balance {b} but lots hold {s}" for r, b, s in cur.fetchall()]
    return problems


def assert_books_balance() -> None:
    """Raise AssertionError listing what is wrong when the books do not balance (LEDGER-1)."""
    problems = verify_books()
    assert not problems, "books do not balance:\n" + "\n".join(problems[:20])
