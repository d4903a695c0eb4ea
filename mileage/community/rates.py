"""The community's dated parameters (`mileage/rules/parameters/walk/`), read in one place."""

from __future__ import annotations

import datetime as dt

from mileage.core.parameters import current_parameters

CREW_MAX_MEMBERS = "walk.crew_max_members"  # WALK-5 [interp]
BLOCKED_WORDS = "walk.community_blocked_words"  # WALK-1 / WALK-5 [interp] fair play


def crew_max_members(on: dt.date) -> int:
    """Most members a crew may have at once."""
    return int(current_parameters().at(CREW_MAX_MEMBERS, on))


def blocked_words(on: dt.date) -> tuple[str, ...]:
    """Words no crew name or nickname may contain (the city extends the list)."""
    return tuple(str(word) for word in current_parameters().at(BLOCKED_WORDS, on))


RANKING_FINAL_AFTER_DAYS = "walk.ranking_final_after_days"  # WALK-1 / WALK-5 [interp]


def ranking_final_after_days(on: dt.date) -> int:
    """A day this many days old is final for the rankings' incremental refresh."""
    return int(current_parameters().at(RANKING_FINAL_AFTER_DAYS, on))
