"""Benchmarks and the synthetic data they (and the tests) load: scripts that print figures and
the machine's load, never shipped with the product (`mileage/`) and never a timed test.

    make bench                                   # python -m benchmarks.rules
    MILEAGE_ENV=development python -m benchmarks.evaluation 1000000 --workers 2      # evaluation run (PostgreSQL)
    MILEAGE_ENV=development python -m benchmarks.walking [--api-rows N] [--walkers N]  # walking ingest and accrual

Figures and their history: docs/benchmarks.md.
"""
