"""Deadline-day load test (issue #12): locust against the production server form.

    python -m benchmarks.deadline_day --users 60 --duration 120

`locustfile.py` is the citizens' traffic, `photos.py` makes the two phone-sized photos once,
`seed.py` loads citizens whose annual reading window is open; `benchmarks/deadline_day.py` runs
it all (docs/operations.md, "Deadline-day load test"; figures in docs/benchmarks.md).
"""
