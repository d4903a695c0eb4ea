"""The current parameters: the one object every app reads the numbers of the rules from.

Apps never call `mileage.rules.params.default_parameters()` themselves (STYLE.md §2): they ask
`current_parameters()`, which is the shipped YAML under `mileage/rules/parameters` with every
approved `ParameterChange` (issue #14: proposed by a city manager, approved by another) layered
on top with `Parameters.with_overrides(...)`, in the order they were approved. The rules never
know where a value came from.

Cached per process and kept right across processes: the cache is keyed by the approved rows'
version (their count and latest decision), read from the database at most every
`VERSION_CHECK_SECONDS` (hot loops such as the walking accrual ask per member); the process that
approves forgets its cache at commit (`forget()`), so it sees the change at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max

from mileage.rules.params import Parameters, default_parameters

from .models import ChangeState, ParameterChange

VERSION_CHECK_SECONDS = 1.0

_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "params": None, "checked": float("-inf")}


def override_key(key: str) -> int | str:
    """A stored key as `with_overrides` takes it: a year as an int, a date as its ISO text."""
    return int(key) if key.isdigit() else key


def entry_of(change: Any) -> dict[str, Any]:
    """A change's entry shaped like a parameter file's value (`value`, `source`)."""
    return {"value": change.value, "source": change.source}


def approved_overrides() -> dict[str, dict[int | str, dict[str, Any]]]:
    """Every approved change as `with_overrides` input; a later approval of the same key wins."""
    overrides: dict[str, dict[int | str, dict[str, Any]]] = {}
    rows = ParameterChange.objects.filter(state=ChangeState.APPROVED).order_by("decided_at", "id")
    for change in rows:
        overrides.setdefault(change.name, {})[override_key(change.key)] = entry_of(change)
    return overrides


def layered(overrides: Mapping[str, Mapping[Any, Any]]) -> Parameters:
    """The shipped YAML with `overrides` on top (the YAML itself when there are none)."""
    base = default_parameters()
    return base.with_overrides(overrides) if overrides else base


def shipped_parameters() -> Parameters:
    """The YAML alone (the parameter pages show which entries came from the file)."""
    return default_parameters()


def _version() -> tuple[int, Any]:
    found = ParameterChange.objects.filter(state=ChangeState.APPROVED).aggregate(
        count=Count("id"), latest=Max("decided_at")
    )
    return found["count"], found["latest"]


def current_parameters() -> Parameters:
    """The parameters in force for the platform: the YAML with the city's approved values."""
    now = time.monotonic()
    params = _cache["params"]
    if params is not None and now - _cache["checked"] < VERSION_CHECK_SECONDS:
        return params
    version = _version()
    with _lock:
        if params is None or version != _cache["version"]:
            params = layered(approved_overrides())
            _cache["version"], _cache["params"] = version, params
        _cache["checked"] = now
    return params


def forget() -> None:
    """Drop this process's cache (after an approval commits; tests between databases)."""
    with _lock:
        _cache.update(version=None, params=None, checked=float("-inf"))
