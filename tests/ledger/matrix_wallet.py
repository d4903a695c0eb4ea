"""Authorization matrix rows for the citizen's wallet pages (/wallet/): members only."""

from __future__ import annotations

from tests.platform.matrix import Row, expect

# Citizen-only pages: sign-in redirect for the anonymous and key-only clients, 403 for others.
CITIZEN_PAGE = expect(anonymous=302, keys=302, people=403, citizen=200)

CASES: list[Row] = [
    Row("GET", "/wallet/", CITIZEN_PAGE),
    Row("GET", "/wallet/history.csv", CITIZEN_PAGE),
]
