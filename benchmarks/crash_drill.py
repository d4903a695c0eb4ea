"""Crash drill (issue #12): a run whose worker is SIGKILLed in flight ends with the ledger of an
uninterrupted run over the same population.

    MILEAGE_ENV=development DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mileage_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python -m benchmarks.crash_drill 200000

Two phases, each in its own fresh throw-away database (`test_<name>` of the configured one,
created, migrated and dropped as `benchmarks.evaluation` does), over the same population: the
same N synthetic vehicles (same tags, same seeds), the same window (May–June 2025) and the same
payment day. In each, `--workers` Celery worker processes (`benchmarks.workers`) evaluate the run
(`evaluate_run`), the script signs it off, and the workers pay it (`pay_run`, with the notices).

1. **reference**: nothing happens to the workers.
2. **crash**: once a third of the chunks are evaluated and worker 1 is inside a chunk task, it is
   SIGKILLed (its whole process group, as a lost machine); a replacement worker starts. The same
   again during the payment with worker 2. The run finishes by **redelivery**: nothing is queued
   again, the killed worker's unacknowledged task comes back from Redis after the visibility
   timeout (`--visibility-timeout`, given to the drill's workers as `CELERY_VISIBILITY_TIMEOUT`).
   `--recover resume` instead does what an operator would do at once: `evaluate_run` / `pay_run`
   again (`manage.py evaluate resume`, the pay button), which queues every chunk not yet done.

Then both are compared (`compare`): per ledger key the legs (account, amount), per wallet the
balance, totals, and the counts of results, award transactions, postings, lots and notices;
the results, lots and notices rows too. Ids differ between the two databases only by accident, so
every row is normalised to names that the population fixes: a vehicle id to its plate, a user id
to its username (ledger keys, wallet refs, notice keys). Run ids, transaction / posting ids,
memos and timestamps are left out. The script prints both ledgers' checksums (sha256 over the
sorted normalised (key, account, amount) legs), PASS or FAIL, and exits 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from benchmarks import synthetic_vehicles as synthetic  # noqa: E402
from benchmarks.workers import Workers, database_url, purge  # noqa: E402
from mileage.accounts.models import Role, User  # noqa: E402
from mileage.evaluations import services, tasks  # noqa: E402
from mileage.evaluations.models import EvaluationRun, RunChunk, RunStatus  # noqa: E402

WINDOW = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))
LOADED_BY = 100_000
_VEHICLE = re.compile(r"vehicle:(\d+)")
_WALLET = re.compile(r"^wallet:user=(\d+)$")
Snapshot = dict[str, Any]


def _load(avg: tuple[float, float, float] | None = None) -> str:
    return " ".join(f"{x:.2f}" for x in (avg or os.getloadavg()))


def load_population(n: int) -> None:
    """The same n vehicles in every database: fixed tags and seeds (`synthetic_vehicles.load`)."""
    t0 = time.perf_counter()
    for start in range(0, n, LOADED_BY):
        k = start // LOADED_BY
        synthetic.load(min(LOADED_BY, n - start), WINDOW[0], tag=f"drill{k}x", seed=start)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  loaded {n:,} vehicles in {time.perf_counter() - t0:.1f} s")


# --- the workers ------------------------------------------------------------------------------


_RECEIVED = re.compile(r"Task ([\w.]+)\[[0-9a-f-]+\] received")
_ENDED = re.compile(r"Task [\w.]+\[[0-9a-f-]+\] (succeeded|raised|retry)")


def _tasks_seen(pool: Workers, node: str) -> tuple[list[str], int]:
    """The names of the tasks the worker received (in order) and how many of them ended."""
    text = pool.logs[node].read_text(errors="replace")
    return _RECEIVED.findall(text), len(_ENDED.findall(text))


def _check(pools: Iterable[Workers]) -> None:
    for pool in pools:
        pool.check()


def _wait(
    done: Callable[[], bool], pools: list[Workers], what: str, timeout: float = 3600
) -> float:
    started = time.perf_counter()
    while not done():
        _check(pools)
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{what}: not done after {timeout:.0f} s")
        time.sleep(0.05)
    return time.perf_counter() - started


def _done_chunks(run_id: int, stamp: str) -> int:
    return RunChunk.objects.filter(run_id=run_id, **{f"{stamp}__isnull": False}).count()


def _status(run_id: int) -> str:
    return EvaluationRun.objects.values_list("status", flat=True).get(pk=run_id)


def kill_in_flight(
    run_id: int, stamp: str, pool: Workers, node: str, pools: list[Workers], started: float
) -> dict[str, Any]:
    """SIGKILL `node` inside a chunk task: once a third of the chunks carry `stamp`, wait for the
    worker to take a new chunk task (a chunk commits before its task ends, so a worker seen busy
    as the count moves may be just leaving its task) and kill it at once."""
    total = RunChunk.objects.filter(run_id=run_id).count()
    wanted = max(1, total // 3)
    chunk_task = "evaluate_chunk" if stamp == "evaluated_at" else "pay_chunk"
    _wait(lambda: _done_chunks(run_id, stamp) >= wanted, pools, "a third of the chunks")
    before = len(_tasks_seen(pool, node)[0])
    state: dict[str, Any] = {}

    def in_a_new_chunk_task() -> bool:
        received, ended = _tasks_seen(pool, node)
        if len(received) > before and len(received) > ended and received[-1].endswith(chunk_task):
            state["inside"] = True
            return True
        state["inside"] = False
        return _done_chunks(run_id, stamp) == total

    _wait(in_a_new_chunk_task, pools, "a chunk task in flight")
    process = pool.processes.pop(node)
    os.killpg(process.pid, signal.SIGKILL)
    at = time.perf_counter() - started
    process.wait(30)
    done = _done_chunks(run_id, stamp)
    inside = state["inside"]
    print(
        f"  SIGKILL worker {node} (pid {process.pid}) {at:.2f} s into the "
        f"{'evaluation' if stamp == 'evaluated_at' else 'payment'}: {done}/{total} chunks done, "
        f"{'inside a ' + chunk_task + ' task' if inside else 'NOT inside a task (too quick)'}"
    )
    return {"node": node, "at": at, "done": done, "total": total, "inside": inside}


# --- a run ------------------------------------------------------------------------------------


def run_once(
    args: argparse.Namespace, *, crash: bool, log_dir: Path, pay_on: dt.date
) -> tuple[Snapshot, dict[str, Any]]:
    """Load the population, evaluate, sign off and pay on the workers; SIGKILL in flight when
    `crash`. Returns the snapshot of the books and what happened."""
    load_population(args.vehicles)
    manager, _ = User.objects.get_or_create(username="drill-manager", defaults={"role": Role.CITY})
    broker = os.environ["CELERY_BROKER_URL"]
    url = database_url()
    chunk_size = args.chunk_size or min(10_000, max(250, args.vehicles // 20))
    pool = Workers(args.workers, broker=broker, database_url=url, log_dir=log_dir, name="w")
    pools = [pool]
    kills: list[dict[str, Any]] = []
    times: dict[str, Any] = {}
    try:
        _flush_broker(broker)  # nothing left from an earlier drill, unacknowledged tasks too
        pool.start()
        purge()
        load_before = os.getloadavg()
        run = services.start_run(manager, *WINDOW, chunk_size=chunk_size)
        print(f"  run {run.pk}: {run.chunks_total} chunks of ≤{chunk_size:,}")
        for stage, stamp, status, send in (
            ("evaluation", "evaluated_at", RunStatus.EVALUATED,
             lambda: tasks.evaluate_run.delay(run.pk)),
            ("payment", "paid_at", RunStatus.PAID,
             lambda: tasks.pay_run.delay(run.pk, pay_on.isoformat())),
        ):  # fmt: skip
            if stage == "payment":
                services.sign_off(run, manager)
            t = time.perf_counter()
            send()
            if crash:
                node = "w1" if stage == "evaluation" else "w2"
                kills.append(kill_in_flight(run.pk, stamp, pool, node, pools, t))
                spare = Workers(
                    1, broker=broker, database_url=url, log_dir=log_dir, name=f"r{len(kills)}-"
                )
                pools.append(spare)  # stopped in `finally` even if its start is interrupted
                spare.start()
                print(f"  replacement worker started {time.perf_counter() - t:.2f} s in")
                if args.recover == "resume":
                    send()  # the operator's resume: every chunk not done is queued again
                    print("  resumed: the run's remaining chunks queued again")
            finishes = time.perf_counter()
            _wait(lambda s=status: _status(run.pk) in (s, RunStatus.PAID), pools, stage)
            times[stage] = time.perf_counter() - t
            if crash:
                kills[-1]["recovered_after"] = time.perf_counter() - finishes
            print(f"  {stage} done in {times[stage]:.1f} s")
        _wait(_nothing_pending, pools, "the notices' delivery", timeout=300)
        times["load_before"], times["load_after"] = load_before, os.getloadavg()
        for p in pools:
            p.report(lambda line: print(line))
    finally:
        for p in pools:
            p.stop()
    return snapshot(run.pk), {"kills": kills, "times": times, "chunks": run.chunks_total}


def _flush_broker(url: str) -> None:
    """Empty the drill's Redis database: queued and unacknowledged (killed) tasks of an earlier
    drill would otherwise come back, naming run ids of a dropped database."""
    import redis

    redis.Redis.from_url(url).flushdb()


def _nothing_pending() -> bool:
    from mileage.core.models import OutboxMessage

    return not OutboxMessage.objects.filter(kind="mileage-awarded", status="pending").exists()


# --- the books, normalised --------------------------------------------------------------------


def _rows(sql: str, params: Iterable[Any] = ()) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, list(params))
        return cur.fetchall()


def snapshot(run_id: int) -> Snapshot:
    """The books of this database after the run, with every id replaced by a population name."""
    plates = dict(_rows("SELECT id, plate FROM vehicles_vehicle"))
    users = dict(_rows("SELECT id, username FROM accounts_user"))

    def key(text: str) -> str:
        return _VEHICLE.sub(lambda m: f"vehicle:{plates[int(m.group(1))]}", text)

    def account(ref: str) -> str:
        found = _WALLET.match(ref)
        return f"wallet:{users[int(found.group(1))]}" if found else ref

    legs = sorted(
        (key(k), account(ref), amount)
        for k, ref, amount in _rows(
            "SELECT t.key, a.ref, p.amount FROM ledger_posting p "
            "JOIN ledger_transaction t ON t.id = p.transaction_id "
            "JOIN ledger_account a ON a.id = p.account_id"
        )
    )
    per_key: dict[str, list[tuple[str, int]]] = {}
    for k, acc, amount in legs:
        per_key.setdefault(k, []).append((acc, amount))
    balances = {account(ref): bal for ref, bal in _rows("SELECT ref, balance FROM ledger_account")}
    results = sorted(
        (key(k), plate, cycle, status, mileage, str(payment_on))
        for k, plate, cycle, status, mileage, payment_on in _rows(
            "SELECT key, plate, cycle, status, mileage, payment_on FROM evaluations_result "
            "WHERE run_id = %s",
            [run_id],
        )
    )
    lots = sorted(
        (account(ref), amount, remaining, str(awarded), str(expires))
        for ref, amount, remaining, awarded, expires in _rows(
            "SELECT a.ref, l.amount, l.remaining, l.awarded_on, l.expires_on FROM ledger_lot l "
            "JOIN ledger_account a ON a.id = l.account_id"
        )
    )
    notices = sorted(
        (kind, key(k), users.get(user, str(user)))
        for kind, k, user in _rows("SELECT kind, key, user_id FROM core_outboxmessage")
    )
    transactions = _rows("SELECT kind, COUNT(*) FROM ledger_transaction GROUP BY kind")
    wallets = {a: b for a, b in balances.items() if a.startswith("wallet:")}
    return {
        "per_key": per_key,
        "balances": balances,
        "totals": {
            "awarded (sum of positive legs)": sum(a for _, _, a in legs if a > 0),
            "sum of all legs": sum(a for _, _, a in legs),
            "wallets' balances": sum(wallets.values()),
            "results' mileage": sum(r[4] for r in results),
        },
        "counts": {
            "results": len(results),
            "transactions": sum(c for _, c in transactions),
            "award transactions": dict(transactions).get("award", 0),
            "postings": len(legs),
            "lots": len(lots),
            "wallets": len(wallets),
            "notices": len(notices),
        },
        "checksums": {
            "ledger": _sha(legs),
            "results": _sha(results),
            "lots": _sha(lots),
            "notices": _sha(notices),
            "balances": _sha(sorted(balances.items())),
        },
    }


def _sha(rows: Iterable[tuple]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\t".join(str(v) for v in row).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def compare(reference: Snapshot, crashed: Snapshot, *, show: int = 5) -> list[str]:
    """Every difference between two snapshots, as lines (empty: the books are equal)."""
    found: list[str] = []
    for part in ("counts", "totals", "checksums"):
        for name, want in reference[part].items():
            got = crashed[part].get(name)
            if got != want:
                found.append(f"{part} {name}: reference {want}, crash {got}")
    for part, what in (("per_key", "ledger key"), ("balances", "account")):
        a, b = reference[part], crashed[part]
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        if differ:
            found.append(f"{len(differ):,} {what}s differ, e.g.:")
            found += [f"  {k}: reference {a.get(k)}, crash {b.get(k)}" for k in differ[:show]]
    return found


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vehicles", type=int, nargs="?", default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--chunk-size", type=int, default=0, help="default: vehicles / 20, within 250..10,000"
    )
    parser.add_argument(
        "--recover",
        choices=("redelivery", "resume"),
        default="redelivery",
        help="redelivery: wait for the broker to give the killed task back (visibility "
        "timeout); resume: queue the run's remaining chunks again at once",
    )
    parser.add_argument(
        "--visibility-timeout",
        type=int,
        default=30,
        help="seconds, for the drill's workers (CELERY_VISIBILITY_TIMEOUT); longer than a chunk",
    )
    parser.add_argument("--logs", default=None, help="directory for the workers' logs")
    args = parser.parse_args()
    if args.workers < 2:
        raise SystemExit("the drill kills one worker while another goes on: --workers 2 or more")
    if connection.vendor != "postgresql":
        raise SystemExit("the crash drill runs on PostgreSQL (DATABASE_URL=postgresql://…)")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        raise SystemExit("the drill's workers use Redis: set CELERY_BROKER_URL=redis://…")
    os.environ["CELERY_VISIBILITY_TIMEOUT"] = str(args.visibility_timeout)  # the workers'
    logs = Path(args.logs) if args.logs else Path(tempfile.mkdtemp(prefix="crash-drill-"))
    pay_on = dt.date.today()
    print(
        f"crash drill: {args.vehicles:,} vehicles, {args.workers} workers, recovery by "
        f"{args.recover} (visibility timeout {args.visibility_timeout} s); "
        f"load average {_load()}"
    )
    snaps: dict[str, Snapshot] = {}
    info: dict[str, dict[str, Any]] = {}
    for phase, crash in (("reference", False), ("crash", True)):
        print(f"\n{phase}: a fresh database")
        old = setup_databases(verbosity=0, interactive=False)
        try:
            snaps[phase], info[phase] = run_once(
                args, crash=crash, log_dir=logs / phase, pay_on=pay_on
            )
        finally:
            connections.close_all()
            teardown_databases(old, verbosity=0)
    ref, got = snaps["reference"], snaps["crash"]
    print(f"\n  {'':<31} {'reference':>14} {'crash':>14}")
    for part in ("counts", "totals"):
        for name, value in ref[part].items():
            print(f"  {name:<31} {value:>14,} {got[part][name]:>14,}")
    for name, value in ref["checksums"].items():
        print(f"  sha256 {name:<9} reference {value}")
        print(f"  {'':<16} crash     {got['checksums'][name]}")
    for phase in ("reference", "crash"):
        times = info[phase]["times"]
        print(
            f"  {phase}: evaluation {times['evaluation']:.1f} s, payment {times['payment']:.1f} s; "
            f"load average {_load(times['load_before'])} → {_load(times['load_after'])}"
        )
    for kill in info["crash"]["kills"]:
        print(
            f"  killed {kill['node']} at {kill['at']:.2f} s ({kill['done']}/{kill['total']} chunks "
            f"done, inside a task: {'yes' if kill['inside'] else 'no'}); the run finished "
            f"{kill['recovered_after']:.1f} s after the replacement started"
        )
    problems = compare(ref, got)
    print(f"\nload average now {_load()}; workers' logs: {logs}")
    if problems or not all(k["inside"] for k in info["crash"]["kills"]):
        for line in problems:
            print(line)
        if not problems:
            print("a kill missed every task in flight: run the drill with more vehicles")
        print("FAIL")
        sys.exit(1)
    print("PASS: the crashed run's ledger equals the uninterrupted run's")


if __name__ == "__main__":
    main()
