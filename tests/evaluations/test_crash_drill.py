"""The crash drill's books (benchmarks/crash_drill.py, issue #12): a paid run's snapshot names
vehicles and members by what the population fixes (plates, usernames), never by database ids,
and the comparison reports every kind of difference. The drill itself (two fresh databases,
real workers, SIGKILL) is a script; the SIGKILL path on real workers is tests/evaluations/
test_celery_runs.py."""

from __future__ import annotations

import copy

import pytest

from benchmarks.crash_drill import WINDOW, compare, load_population, snapshot
from mileage.evaluations import services
from tests.factories import city_manager

from .conftest import PAY_ON

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_drills_snapshot_is_id_free_and_its_comparison_sees_each_difference() -> None:
    load_population(30)
    manager = city_manager()
    run = services.run_evaluation(services.start_run(manager, *WINDOW, chunk_size=10))
    services.sign_off(run, manager)
    services.pay_due(run, PAY_ON)
    snap = snapshot(run.pk)

    awards = snap["counts"]["award transactions"]
    assert snap["counts"]["results"] == 30 and awards > 0
    assert snap["counts"]["postings"] == 2 * awards == 2 * snap["counts"]["lots"]
    assert snap["counts"]["notices"] == awards
    assert all(key.startswith("eco-car:vehicle:drill0x") for key in snap["per_key"])
    wallets = [name for name in snap["balances"] if name.startswith("wallet:")]
    assert wallets and all(name.startswith("wallet:drill0x-") for name in wallets)
    assert snap["totals"]["wallets' balances"] == snap["totals"]["awarded (sum of positive legs)"]
    assert snap["totals"]["sum of all legs"] == 0
    assert compare(snap, copy.deepcopy(snap)) == []

    key = next(iter(snap["per_key"]))
    paid_more = copy.deepcopy(snap)
    paid_more["per_key"][key] = [(acc, amount + 1) for acc, amount in snap["per_key"][key]]
    assert any("ledger keys differ" in line for line in compare(snap, paid_more))
    assert any(key in line for line in compare(snap, paid_more))

    richer = copy.deepcopy(snap)
    richer["balances"][wallets[0]] += 10
    assert any("accounts differ" in line for line in compare(snap, richer))

    twice = copy.deepcopy(snap)
    twice["counts"]["postings"] += 2
    twice["checksums"]["ledger"] = "0" * 64
    found = compare(snap, twice)
    assert any(line.startswith("counts postings") for line in found)
    assert any(line.startswith("checksums ledger") for line in found)
