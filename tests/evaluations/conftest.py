"""Evaluation run fixtures: synthetic enrolled vehicles with approved readings."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.synthetic_vehicles import load
from tests.factories import city_manager

WINDOW = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))  # ECO-12: paid on/after 2025-07-20
PAY_ON = dt.date(2025, 7, 20)


@pytest.fixture
def vehicles(db: None) -> list[int]:
    return load(40, WINDOW[0], tag="evt")


@pytest.fixture
def manager(db: None):
    return city_manager()
