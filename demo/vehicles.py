"""Demo vehicles (run by `manage.py demo_data` after accounts): enrolled through the real
registry adapter and ECO-1 checks, from the shipped `data/registry.csv`. Idempotent: a plate
that is already in the programme is left alone. The readings seed gives each one its story."""

from __future__ import annotations

from typing import TextIO

from mileage.accounts.models import User
from mileage.vehicles.models import Vehicle
from mileage.vehicles.services import register_vehicle

# (plate, owner): the named stories (see demo/readings.py), then one car per district.
STORIES = [
    ("12가3456", "citizen-001"),  # two years in: cycle 1 evaluated, cycle 2's window open now
    ("34나5678", "citizen-001"),  # initial reading waiting for review
    ("45다6789", "citizen-002"),  # waiting, with flags (same photo, no capture date)
    ("67마8901", "citizen-002"),  # rejected, appeal open
    ("96하7890", "citizen-002"),  # approved; the annual window opens within a week (reminder)
    ("56라7890", "citizen-003"),  # ended early (명의이전) after about ten months
    ("78바9012", "citizen-004"),  # Jung-gu: waiting for review
]
DISTRICT_CARS = [(f"{20 + i}거{3000 + i}", f"citizen-{10 + i:03d}") for i in range(25)]


def seed(out: TextIO) -> None:
    created = 0
    for plate, username in STORIES + DISTRICT_CARS:
        owner = User.objects.filter(username=username).first()
        if owner is None or Vehicle.objects.filter(plate=plate).exists():
            continue
        register_vehicle(owner, plate)
        created += 1
    out.write(f"vehicles: {created} enrolled (registry: mileage/vehicles/data/registry.csv)\n")
