"""The demo world (`manage.py demo_data`, run by `make run`): seed data for every app.

Kept out of the product package `mileage`: a small Django app (`demo`, no models, no URLs) that
exists only to hold the `demo_data` command and one seed module per app, run in this order:
accounts, partners, vehicles, readings, ledger, evaluations, walking, pilot. Each module's
`seed(out)` goes through the apps' own services, like a person or partner would, and is
idempotent. Nothing in `mileage` imports `demo`.
"""
